/**
 * A Vite plugin that fails the extension's build when its source (or the UI kit's or the
 * website's) parses strings as HTML: it runs the `reelsense/text-only-dom` block of
 * eslint.config.js (innerHTML, outerHTML, insertAdjacentHTML, document.write, DOMParser, …) over
 * every TypeScript file the build compiles from extension/, website/ and ui/. Only that block runs, and
 * without type information, so it costs about a second; `npm run lint` runs everything.
 */
import { relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ESLint, type Linter } from 'eslint';
import tseslint from 'typescript-eslint';
import type { Plugin } from 'vite';

export const BLOCK_NAME = 'reelsense/text-only-dom';

async function textOnlyRules(root: string): Promise<NonNullable<Linter.Config['rules']>> {
  const loaded = (await import(pathToFileURL(`${root}/eslint.config.js`).href)) as { default?: unknown };
  const configs = Array.isArray(loaded.default) ? (loaded.default as unknown[]) : [];
  const block = configs.find(
    (config): config is Linter.Config =>
      typeof config === 'object' && config !== null && (config as Linter.Config).name === BLOCK_NAME,
  );
  if (block?.rules === undefined) throw new Error(`eslint.config.js has no "${BLOCK_NAME}" block.`);
  return block.rules;
}

export function textOnlyDom(root: string): Plugin {
  const files = new Set<string>();
  return {
    name: 'reelsense:text-only-dom',
    apply: 'build',
    transform(_code, id) {
      const path = relative(root, id.split('?')[0] ?? id);
      if (/^(extension|website|ui)\/.*\.ts$/.test(path)) files.add(path);
      return null;
    },
    async buildEnd() {
      const eslint = new ESLint({
        cwd: root,
        overrideConfigFile: true,
        overrideConfig: [
          { files: ['**/*.ts'], languageOptions: { parser: tseslint.parser } },
          { files: ['**/*.ts'], rules: await textOnlyRules(root) },
        ],
      });
      const results = await eslint.lintFiles([...files]);
      if (results.some((result) => result.errorCount > 0)) {
        const formatter = await eslint.loadFormatter('stylish');
        this.error(`Text only, never HTML (eslint.config.js, ${BLOCK_NAME}):\n${await formatter.format(results)}`);
      }
    },
  };
}
