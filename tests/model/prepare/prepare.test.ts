import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { prepareData } from '../../../model/prepare/prepare.ts';
import { Vocabulary, encode } from '../../../model/text/index.ts';
import { tempDir, writeDataset } from '../../helpers/dataset.ts';

const TRAIN: ReadonlyArray<readonly [number, string]> = [
  [1, 'Great film, great cast!<br /><br />9/10'],
  [0, "Awful film. I didn't like it."],
  [1, 'A great, moving story.'],
  [0, 'Boring and awful, 2/10'],
];
const TEST: ReadonlyArray<readonly [number, string]> = [
  [1, 'great story'],
  [0, "awful, didn't care"],
];
const vocabulary = { maxSize: 10, minCount: 2, maxLength: 6 };
const quiet = { quiet: true, env: {} };

async function prepared(): Promise<{ dataDir: string; outDir: string }> {
  return { dataDir: await writeDataset(TRAIN, TEST), outDir: join(await tempDir('prepared'), 'out') };
}

describe('prepareData', () => {
  it('writes ids that the text pipeline gives under the written vocabulary', async () => {
    const { dataDir, outDir } = await prepared();
    const { manifest, reused } = await prepareData({ dataDir, outDir, vocabulary, ...quiet });
    expect(reused).toBe(false);
    expect(manifest.splits.train).toMatchObject({ reviews: 4, positive: 2, negative: 2 });
    expect(manifest.splits.test).toMatchObject({ reviews: 2, positive: 1, negative: 1 });
    expect(manifest.source.from).toBe('option');

    const vocab = Vocabulary.fromJSON(JSON.parse(await readFile(join(outDir, 'vocab.json'), 'utf8')));
    const expected = TEST.flatMap(([, text]) => [...encode(text, vocab)]);
    const idsFile = await readFile(join(outDir, 'test.ids.npy'));
    const ids = new Int32Array(idsFile.buffer.slice(idsFile.byteOffset + idsFile.length - expected.length * 4));
    expect([...ids]).toEqual(expected);
    expect(manifest.splits.test?.tokens).toBe(expected.length);
  });

  it('reuses the folder when nothing changed, and rebuilds when an option or input changes', async () => {
    const { dataDir, outDir } = await prepared();
    await prepareData({ dataDir, outDir, vocabulary, ...quiet });
    expect((await prepareData({ dataDir, outDir, vocabulary, ...quiet })).reused).toBe(true);
    expect((await prepareData({ dataDir, outDir, vocabulary: { ...vocabulary, maxLength: 7 }, ...quiet })).reused).toBe(
      false,
    );
    expect(
      (await prepareData({ dataDir, outDir, vocabulary: { ...vocabulary, maxLength: 7 }, force: true, ...quiet }))
        .reused,
    ).toBe(false);
    await rm(join(outDir, 'train.ids.npy'));
    expect((await prepareData({ dataDir, outDir, vocabulary: { ...vocabulary, maxLength: 7 }, ...quiet })).reused).toBe(
      false,
    );
  });

  it('refuses a data folder without the dataset, saying what it must hold', async () => {
    const outDir = await tempDir('prepared');
    await expect(prepareData({ dataDir: await tempDir('empty'), outDir, vocabulary, ...quiet })).rejects.toMatchObject({
      message: expect.stringMatching(/train\.csv\.gz/) as unknown,
    });
  });
});
