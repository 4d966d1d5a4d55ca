// @ts-check
import js from '@eslint/js';
import globals from 'globals';
import importX from 'eslint-plugin-import-x';
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
    // The layers of ARCHITECTURE.md, one direction only. tests/ may import anything.
    name: 'reelsense/layers',
    files: ['**/*.ts', '**/*.mjs', '**/*.js'],
    plugins: { 'import-x': importX },
    rules: {
      'import-x/no-restricted-paths': [
        'error',
        {
          zones: [
            {
              target: './!(website|tests)/**',
              from: './website/**',
              message: 'Apps are imported by nothing: move what you need to public-api/ or ui/.',
            },
            {
              target: './!(extension|tests)/**',
              from: './extension/**',
              message: 'Apps are imported by nothing: move what you need to public-api/ or ui/.',
            },
            { target: './!(bench)/**', from: './bench/**', message: 'bench/ measures and is imported by nothing.' },
            { target: './!(tests)/**', from: './tests/**', message: 'Only tests import tests/.' },
            {
              target: './model/**',
              from: [
                './backend',
                './bench',
                './extension',
                './public-api',
                './scripts',
                './tests',
                './ui',
                './website',
              ],
              message: 'model/ imports only model/ and common/ (the base layers).',
            },
            {
              target: './common/**',
              from: [
                './backend',
                './bench',
                './extension',
                './model',
                './public-api',
                './scripts',
                './tests',
                './ui',
                './website',
              ],
              message: 'common/ is the base layer: it imports nothing of ours.',
            },
            {
              target: './public-api/**',
              from: ['./backend', './bench', './extension', './model', './scripts', './tests', './ui', './website'],
              message: 'public-api/ is the browser-safe contract and client: it imports only common/.',
            },
            {
              target: './ui/**',
              from: ['./backend', './bench', './extension', './model', './scripts', './tests', './website'],
              message: 'ui/ builds on public-api/ and common/ only.',
            },
            {
              target: './backend/**',
              from: ['./bench', './extension', './scripts', './tests', './ui', './website'],
              message: 'backend/ builds on public-api/, model/ and common/ only.',
            },
          ],
        },
      ],
    },
  },
  {
    // The text pipeline, the API client and the UI kit run in browsers, service workers and
    // content scripts too.
    files: ['model/text/**/*.ts', 'public-api/**/*.ts', 'ui/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^node:|^(fs|path|os|crypto|zlib|stream|buffer|url|util|child_process)$',
              message: 'model/text, public-api/ and ui/ must stay browser-safe: no Node modules.',
            },
          ],
        },
      ],
      'no-restricted-globals': [
        'error',
        { name: 'Buffer', message: 'model/text, public-api/ and ui/ must stay browser-safe.' },
        { name: 'process', message: 'model/text, public-api/ and ui/ must stay browser-safe.' },
        { name: 'require', message: 'model/text, public-api/ and ui/ must stay browser-safe.' },
      ],
    },
  },
  {
    // Page content, review text and server messages are only ever handled as text in the extension,
    // the website and their UI kit (DESIGN.md): no API that parses a string as HTML. The extension's build runs
    // this block too (extension/build/text-only-dom.ts), so a violation fails `npm run build:extension`.
    name: 'reelsense/text-only-dom',
    files: ['extension/**/*.ts', 'website/**/*.ts', 'ui/**/*.ts'],
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
