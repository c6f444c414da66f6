// Builds the two bundles: dist/extension.js (the extension host, Node, CommonJS) and
// dist/webview.js (+ dist/webview.css) for the chat webview (browser).
// `--production` minifies; otherwise source maps are written. `--watch` rebuilds on change.
import * as esbuild from 'esbuild';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

/** Prints errors in the `file:line:col: error: text` form VS Code's esbuild problem matcher reads. */
const problemMatcher = {
    name: 'problem-matcher',
    setup(build) {
        build.onStart(() => console.log('[watch] build started'));
        build.onEnd((result) => {
            for (const { text, location } of result.errors) {
                console.error(`✘ [ERROR] ${text}`);
                if (location) console.error(`    ${location.file}:${location.line}:${location.column}:`);
            }
            console.log('[watch] build finished');
        });
    },
};

const common = {
    bundle: true,
    minify: production,
    sourcemap: production ? false : 'linked',
    sourcesContent: false,
    logLevel: 'warning',
    legalComments: production ? 'none' : 'inline',
    define: { 'process.env.NODE_ENV': production ? '"production"' : '"development"' },
    plugins: watch ? [problemMatcher] : [],
};

const contexts = await Promise.all([
    esbuild.context({
        ...common,
        entryPoints: ['src/extension.ts'],
        outfile: 'dist/extension.js',
        platform: 'node',
        format: 'cjs',
        target: 'node20',
        external: ['vscode'],
    }),
    esbuild.context({
        ...common,
        entryPoints: { webview: 'webview/main.ts' },
        outdir: 'dist',
        platform: 'browser',
        format: 'esm',
        target: 'es2022',
        // The codicon font is copied next to the bundle as dist/codicon.ttf (style.css's @font-face).
        loader: { '.css': 'css', '.ttf': 'file' },
        assetNames: '[name]',
        logOverride: { 'import-is-undefined': 'error' },
    }),
]);

if (watch) {
    await Promise.all(contexts.map((ctx) => ctx.watch()));
} else {
    await Promise.all(contexts.map((ctx) => ctx.rebuild()));
    await Promise.all(contexts.map((ctx) => ctx.dispose()));
}
