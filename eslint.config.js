// @ts-check
import js from '@eslint/js';
import globals from 'globals';
import prettier from 'eslint-config-prettier';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', '**/dist/', '**/.venv/', 'coverage/', 'model/prepared/'] },
  js.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        projectService: { allowDefaultProject: ['*.js', 'scripts/*.mjs'] },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
    },
  },
  {
    // The text pipeline runs in browsers, service workers and content scripts too.
    files: ['model/text/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^node:|^(fs|path|os|crypto|zlib|stream|buffer|url|util|child_process)$',
              message: 'model/text must stay browser-safe: no Node modules.',
            },
          ],
        },
      ],
      'no-restricted-globals': [
        'error',
        { name: 'Buffer', message: 'model/text must stay browser-safe.' },
        { name: 'process', message: 'model/text must stay browser-safe.' },
        { name: 'require', message: 'model/text must stay browser-safe.' },
      ],
    },
  },
  {
    // Page content, review text and server messages are only ever handled as text in the extension
    // and the website (DESIGN.md): no API that parses a string as HTML. The extension's build runs
    // this block too (extension/build/text-only-dom.ts), so a violation fails `npm run build:extension`.
    name: 'reelsense/text-only-dom',
    files: ['extension/**/*.ts', 'website/**/*.ts'],
    rules: {
      'no-restricted-properties': [
        'error',
        ...['innerHTML', 'outerHTML', 'insertAdjacentHTML', 'createContextualFragment', 'setHTMLUnsafe', 'srcdoc'].map(
          (property) => ({
            property,
            message: 'Build DOM with createElement and textContent, never from HTML strings.',
          }),
        ),
        { object: 'document', property: 'write', message: 'Build DOM with createElement and textContent.' },
        { object: 'document', property: 'writeln', message: 'Build DOM with createElement and textContent.' },
        { object: 'Document', property: 'parseHTMLUnsafe', message: 'Never parse strings as HTML.' },
      ],
      'no-restricted-syntax': [
        'error',
        {
          selector: "NewExpression[callee.name='DOMParser']",
          message: 'DOMParser turns strings into DOM: build nodes with createElement and textContent.',
        },
        {
          selector: "CallExpression[callee.property.name='parseFromString']",
          message: 'Never parse strings as HTML: build nodes with createElement and textContent.',
        },
      ],
    },
  },
  {
    // The extension handles the reader's API key and the text of the pages they read: nothing of
    // it may reach a console, where other extensions' developers and bug reports can see it.
    name: 'reelsense/no-extension-logs',
    files: ['extension/src/**/*.ts'],
    rules: { 'no-console': 'error' },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: { globals: globals.node },
  },
  prettier,
);
