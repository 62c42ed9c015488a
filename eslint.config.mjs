import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const noVscode = {
  'no-restricted-imports': [
    'error',
    {
      paths: [{ name: 'vscode', message: 'The API and domain layers must not import vscode: put VS Code adapters under src/vscode/.' }],
    },
  ],
};

export default tseslint.config(
  { ignores: ['dist/**', 'out/**', 'node_modules/**', 'dist-vsix/**', '.vscode-test/**', 'test-results/**', 'test/fixtures/**', 'bench/fixtures/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { console: 'readonly', process: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', setInterval: 'readonly', clearInterval: 'readonly', URL: 'readonly', Buffer: 'readonly', require: 'readonly', __dirname: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      eqeqeq: ['error', 'always', { null: 'ignore' }],
    },
  },
  // Plain-JS mocha tests (the set-up scripts' tests run before anything is compiled).
  { files: ['test/**/*.test.mjs'], languageOptions: { globals: { describe: 'readonly', it: 'readonly', before: 'readonly', after: 'readonly', beforeEach: 'readonly', afterEach: 'readonly' } } },
  // The layering, held by construction.
  { files: ['src/common/**/*.ts', 'src/api/**/*.ts', 'src/domain/**/*.ts', 'test/emulator/**/*.ts'], rules: noVscode },
  // Only the client factory may import the SDK at runtime; everything else gets its types.
  {
    files: ['src/**/*.ts'],
    ignores: ['src/api/sdk.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        { paths: [{ name: '@anthropic-ai/sdk', message: 'Only src/api/sdk.ts loads the SDK; use `import type` elsewhere.', allowTypeImports: true }] },
      ],
    },
  },
);
