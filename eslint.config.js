// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/', 'coverage/', 'test-artifacts/', 'reports/', '.stryker-tmp/', 'schema/', 'docs/api/'] },
  js.configs.recommended,
  ...tseslint.configs.strict,
  {
    languageOptions: { globals: { console: 'readonly', process: 'readonly', performance: 'readonly', structuredClone: 'readonly', URL: 'readonly' } },
    rules: {
      // Tests and the generated-code kernel build functions from strings on purpose.
      '@typescript-eslint/no-implied-eval': 'off',
      // Non-null assertions mark indexes that the surrounding code has just checked.
      '@typescript-eslint/no-non-null-assertion': 'off',
      // A leading underscore marks a parameter a signature needs and the body does not.
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
    },
  },
  {
    files: ['test/**/*.ts', 'bench/**/*.mjs'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
);
