/**
 * The golden vectors: exact tokens and ids for fixed inputs under a frozen vocabulary. Any
 * change in the text pipeline's output fails here; a deliberate change bumps
 * TEXT_PIPELINE_VERSION and regenerates the fixture (npm run golden:update).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { TEXT_PIPELINE_VERSION, Vocabulary, encode, tokenize } from '../../../model/text/index.ts';
import { GOLDEN_INPUTS } from '../../fixtures/text/golden-inputs.ts';

interface Golden {
  name: string;
  input: string;
  tokens: string[];
  ids: number[];
}

const fixture = (name: string): unknown =>
  JSON.parse(readFileSync(new URL(`../../fixtures/text/${name}`, import.meta.url), 'utf8'));
const golden = fixture('golden.json') as Golden[];
const vocabulary = Vocabulary.fromJSON(fixture('vocab.json'));

describe('golden vectors', () => {
  it('cover every input, at least 50', () => {
    expect(golden.length).toBeGreaterThanOrEqual(50);
    expect(golden.map((g) => [g.name, g.input])).toEqual(GOLDEN_INPUTS.map((g) => [g.name, g.input]));
  });

  it('were made by this text pipeline version', () => {
    expect(vocabulary.toJSON().textPipeline).toBe(TEXT_PIPELINE_VERSION);
  });

  it.each(golden)('$name', ({ input, tokens, ids }) => {
    expect(tokenize(input)).toEqual(tokens);
    expect([...encode(input, vocabulary)]).toEqual(ids);
  });
});
