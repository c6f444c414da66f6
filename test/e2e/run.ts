// One lane of `npm run test:e2e` (lanes.ts runs it once per lane): the packaged extension in real VS Code
// (code-server 4.100.3 = VS Code 1.100, the engines.vscode minimum, or 4.139.1 = VS Code 1.139, chosen by
// COHERE_CODE_SERVER), driven in Debian's Chromium as a person would, against the fake Cohere server.
// The scenarios are those of issue 4 §1 (and a 10th: a reply streamed while its tab is hidden); they run in
// order in one workbench and build on each other.
// Then `npm start` and `npm run demo` are run as a person runs them (issue 4 §2).
// Whatever cannot be set up fails every scenario: nothing is skipped. Pictures: test-results/.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe } from 'node:test';
import { startScriptSuites } from './start-scripts';
import { scenario, useE2E } from './context';
import { RESULTS_DIR, setUpE2E } from './harness';
import type { E2E } from './harness';
import { assertKeyNowhereOnDisk, chatScenarios } from './scenarios-chat';
import { contextScenarios } from './scenarios-context';
import { failureScenarios } from './scenarios-failures';
import { hardeningScenarios } from './scenarios-hardening';
import { hiddenViewScenarios } from './scenarios-hidden';
import { lookScenarios } from './scenarios-look';
import { minimumLaneNativeScenarios, nativeChatScenarios } from './scenarios-native';
import { reloadAndThemeScenarios } from './scenarios-reload-theme';
import { selectionScenarios } from './scenarios-selection';
import { toolScenarios } from './scenarios-tools';
import { openWorkbench } from './workbench';
import { currentLane, NEWEST_LANE } from '../../scripts/code-server';

const started = Date.now();
let setup: E2E | undefined;

void describe('Cohere Chat in VS Code (code-server, Chromium)', () => {
    before(
        async () => {
            setup = await setUpE2E();
            useE2E(setup);
            await openWorkbench(setup.page, setup.codeServer.workbenchUrl);
        },
        // A first run installs code-server (about a minute) and builds the extension.
        { timeout: 600_000 },
    );

    // VS Code's own chat takes extensions' models from 1.104 on: only the newest lane has it. Its scenarios
    // come first, while VS Code's chat holds no context from the others (a selection an earlier scenario
    // made stays pinned there as implicit context).
    if (currentLane() === NEWEST_LANE) nativeChatScenarios();
    chatScenarios();
    selectionScenarios();
    failureScenarios();
    hiddenViewScenarios();
    reloadAndThemeScenarios();
    toolScenarios();
    contextScenarios();
    if (currentLane() !== NEWEST_LANE) minimumLaneNativeScenarios();
    lookScenarios();
    hardeningScenarios();

    scenario('1 (at the end). After every scenario, the API key is still in no file and no log', async () => {
        // Logs are written and conversations saved all along the run: look again now that everything ran.
        await assertKeyNowhereOnDisk();
    });

    after(async () => {
        if (setup)
            await writeFile(join(RESULTS_DIR, 'code-server.log'), setup.serverOutput()).catch(
                () => undefined,
            );
        useE2E(undefined);
        await setup?.dispose();
        console.log(`[e2e] scenarios took ${((Date.now() - started) / 1000).toFixed(1)} s`);
    });
});

// The start-script suites run last; their end is the end of the run.
startScriptSuites(() => console.log(`[e2e] run time ${((Date.now() - started) / 1000).toFixed(1)} s`));
