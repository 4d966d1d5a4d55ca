/**
 * The kit builds the website's and the extension's DOM, so it keeps their rule (eslint.config.js,
 * reelsense/text-only-dom): no API that parses a string as HTML, anywhere in ui/.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const UI = fileURLToPath(new URL('../../ui/', import.meta.url));

describe('ui/ source', () => {
  it.each(readdirSync(UI).filter((name) => name.endsWith('.ts')))('%s never parses strings as HTML', (name) => {
    const source = readFileSync(join(UI, name), 'utf8');
    expect(source).not.toMatch(
      /innerHTML|outerHTML|insertAdjacentHTML|document\.write|DOMParser|parseFromString|createContextualFragment|setHTMLUnsafe|parseHTMLUnsafe|srcdoc/,
    );
  });
});
