// `npm run fake-cohere [--port N] [--api-key K] [--any-key]`: the fake server on the command line.
import { parseArgs } from 'node:util';
import { startFakeCohere } from './server';

async function main(): Promise<void> {
    const { values } = parseArgs({
        options: {
            port: { type: 'string' },
            'api-key': { type: 'string' },
            'any-key': { type: 'boolean', default: false },
        },
    });
    const port = values.port === undefined ? 0 : Number(values.port);
    if (!Number.isInteger(port) || port < 0 || port > 65535)
        throw new Error(`--port must be a port number, not ${values.port}`);
    const apiKey = values['api-key'] ?? 'test-key';
    const anyKey = values['any-key'] === true;
    const fake = await startFakeCohere({ port, apiKey, acceptAnyKey: anyKey });
    console.log(`Fake Cohere listening on ${fake.url}`);
    console.log(anyKey ? 'Accepting any non-empty API key' : `Accepted API key: ${apiKey}`);
    const stop = (): void => {
        void fake.close().then(() => process.exit(0));
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
});
