// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
    { ignores: ['dist/**', 'node_modules/**', '.cache/**', 'out/**', 'bench/results/**'] },
    js.configs.recommended,
    ...tseslint.configs.recommended,
    {
        files: ['**/*.ts'],
        languageOptions: {
            parserOptions: {
                projectService: true,
                tsconfigRootDir: import.meta.dirname,
            },
        },
        rules: {
            '@typescript-eslint/no-unused-vars': [
                'error',
                { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
            ],
            '@typescript-eslint/no-floating-promises': 'error',
            '@typescript-eslint/switch-exhaustiveness-check': 'error',
            '@typescript-eslint/consistent-type-imports': 'error',
        },
    },
    {
        files: ['src/**/*.ts', 'webview/**/*.ts'],
        rules: { 'no-console': 'warn' },
    },
    {
        // src/cohere and src/chat run in plain Node and are tested there: no VS Code API.
        files: ['src/cohere/**/*.ts', 'src/chat/**/*.ts'],
        rules: {
            'no-restricted-imports': [
                'error',
                { paths: [{ name: 'vscode', message: 'src/cohere and src/chat never import vscode.' }] },
            ],
        },
    },
    {
        // Type-only namespaces group the host<->webview messages, as VS Code's previewMessaging.d.ts does.
        files: ['src/protocol.ts'],
        rules: { '@typescript-eslint/no-namespace': 'off' },
    },
    {
        files: ['**/*.mjs'],
        languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } },
    },
);
