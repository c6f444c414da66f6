// An extension host that is about to be killed: a chat service in its own process, streaming one slow
// reply from the fake Cohere server into the given folder. Prints the conversation id, then streams.
// Usage: <dir> <fake server url> <checkpoint ms>
import { ChatService } from '../../src/chat/service';
import { ConversationStore } from '../../src/chat/store';
import { nullLogger } from '../../src/chat/logger';
import { CohereClient } from '../../src/cohere/index';
import { settingsWith } from './chat-fixtures';

async function main(): Promise<void> {
    const [dir, url, checkpointMs] = process.argv.slice(2);
    if (dir === undefined || url === undefined || checkpointMs === undefined) {
        throw new Error('usage: chat-service-crash-worker <dir> <url> <checkpoint ms>');
    }
    const service = await ChatService.create({
        client: new CohereClient({ baseUrl: url, apiKey: 'test-key' }),
        store: new ConversationStore(dir, nullLogger),
        settings: () => settingsWith({ maxRetries: 0 }),
        log: nullLogger,
        hasApiKey: async () => true,
        checkpointMs: Number(checkpointMs),
    });
    const { id } = service.newConversation();
    process.stdout.write(`${id}\n`);
    const words = Array.from({ length: 80 }, (_, i) => `word${i}`).join(' ');
    await service.send(id, `Tell me a long story: ${words} [[fake:slow?ms=60]]`);
}

main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
});
