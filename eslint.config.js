// The project's own lint: typescript-eslint strict, eslint-plugin-eslint-plugin on the rules.
import js from '@eslint/js';
import eslintPlugin from 'eslint-plugin-eslint-plugin';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'node_modules/**',
      'coverage/**',
      'test/fixtures/**',
      'templates/**',
      'bench/cases/**',
      'bench/node_modules/**',
      'bench/.corpus/**',
      'examples/**',
      'portcullis-demo/**',
      '.tmp/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.strict,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly', Buffer: 'readonly', URL: 'readonly' } },
    rules: {
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  {
    files: ['eslint-plugin/rules/**/*.ts'],
    ...eslintPlugin.configs.recommended,
  },
  {
    // Every editor process loads the plugin: the main entry of @typescript-eslint/utils also loads a second
    // ESLint and the scope manager (~0.15 s CPU). Values come from @typescript-eslint/types or the subpaths.
    files: ['eslint-plugin/**/*.ts', 'src/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: '@typescript-eslint/utils',
              allowTypeImports: true,
              message:
                'Import AST_NODE_TYPES from @typescript-eslint/types and helpers from @typescript-eslint/utils/eslint-utils: the main entry loads a second ESLint.',
            },
          ],
        },
      ],
    },
  },
);
