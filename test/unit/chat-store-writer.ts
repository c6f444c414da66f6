// A second "window" for the shared-folder tests: a separate process with its own store on the same
// folder, appending turns to one conversation as fast as it can. Usage: <dir> <conversationId> <count> <prefix>
import { ConversationStore } from '../../src/chat/store';
import { nullLogger } from '../../src/chat/logger';
import { turn } from './chat-fixtures';

async function main(): Promise<void> {
    const [dir, id, count, prefix] = process.argv.slice(2);
    if (dir === undefined || id === undefined || count === undefined || prefix === undefined) {
        throw new Error('usage: chat-store-writer <dir> <conversationId> <count> <prefix>');
    }
    const store = new ConversationStore(dir, nullLogger);
    const conversation = await store.load(id);
    if (conversation === undefined) throw new Error(`no conversation ${id} in ${dir}`);
    const saves: Promise<unknown>[] = [];
    for (let i = 0; i < Number(count); i++) {
        conversation.turns.push(turn(`${prefix}${i}`, `question ${i}`, `answer ${i}`));
        saves.push(store.save(conversation));
    }
    await Promise.all(saves);
}

main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
});
