// @vitest-environment jsdom
/**
 * The same golden vectors in a browser-like environment (jsdom: window, document, no Node
 * globals in scope for the module's own use), proving the pipeline runs unchanged outside Node.
 * The fixtures are imported as JSON modules, as a bundler would, not read with node:fs.
 */
import { describe, expect, it } from 'vitest';
import { Vocabulary, encode, tokenize } from '../../../model/text/index.ts';
import golden from '../../fixtures/text/golden.json' with { type: 'json' };
import vocabFile from '../../fixtures/text/vocab.json' with { type: 'json' };

describe('text pipeline in a browser-like environment', () => {
  it('runs where window and document exist', () => {
    expect(typeof window).toBe('object');
    expect(document.body.nodeName).toBe('BODY');
  });

  const vocabulary = Vocabulary.fromJSON(vocabFile);
  it.each(golden)('$name', ({ input, tokens, ids }) => {
    expect(tokenize(input)).toEqual(tokens);
    expect([...encode(input, vocabulary)]).toEqual(ids);
  });

  it('leaves the page untouched when text holds markup', () => {
    const before = document.body.innerHTML;
    tokenize('<img src=x onerror="document.body.dataset.pwned=1"><script>document.title="pwned"</script>');
    expect(document.body.innerHTML).toBe(before);
    expect(document.body.dataset.pwned).toBeUndefined();
    expect(document.title).not.toBe('pwned');
  });
});
