// `npm run lint`: type-aware checks tsc cannot make. The reason it exists: a promise nobody awaits or
// catches loses its rejection (an unhandled rejection ends the station process; a swallowed one hides
// a failed write), and an async function passed where a plain callback is expected (an event handler,
// a timer, an array callback) does the same. Each file is checked with its own tsconfig (root,
// renderer/, test/), found by the project service.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: ['dist/**', 'release/**', 'build/**', 'node_modules/**', 'renderer/dist/**'],
  },
  {
    files: ['electron/**/*.{ts,cts}', 'shared/**/*.ts', 'bench/**/*.ts', 'scripts/**/*.ts', 'test/**/*.ts', 'renderer/**/*.{ts,tsx}'],
    extends: [js.configs.recommended, tseslint.configs.recommended],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      // The two this config is for.
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      // Their neighbours: awaiting what is not a promise, throwing or rejecting with what is not an Error.
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/only-throw-error': 'error',
      '@typescript-eslint/prefer-promise-reject-errors': 'error',
      // `_`-prefixed names are deliberately unused (a callback's position, a destructured rest).
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
    },
  },
);
