/** The TypeScript inference path on a tiny artifact made by the real training script. */
import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadArtifact } from '../../../model/inference/artifact.ts';
import { labelOf, SentimentClassifier } from '../../../model/inference/classifier.ts';
import { createNodeClassifier } from '../../../model/inference/node.ts';
import { encode } from '../../../model/text/index.ts';

const TINY = fileURLToPath(new URL('../../fixtures/artifact-tiny/', import.meta.url));
const classifier = await createNodeClassifier(TINY);

async function copyOfTiny(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'reelsense-artifact-'));
  for (const name of ['model.onnx', 'vocab.json', 'card.json']) await copyFile(join(TINY, name), join(dir, name));
  return dir;
}

describe('labelOf', () => {
  const band = { low: 0.325, high: 0.675 };
  it.each([
    [0.9, 'positive'],
    [0.675, 'mixed'],
    [0.5, 'mixed'],
    [0.325, 'mixed'],
    [0.3249, 'negative'],
    [0.6751, 'positive'],
  ] as const)('%f -> %s inside a band', (score, label) => {
    expect(labelOf(score, band)).toBe(label);
  });

  it('gives a side everywhere without a band (an artifact whose card has none)', () => {
    expect(labelOf(0.5)).toBe('positive');
    expect(labelOf(0.4999)).toBe('negative');
  });

  it("takes the band from the shipped model's card: a review leaning neither way is mixed", async () => {
    const shipped = await createNodeClassifier();
    expect(await shipped.classify('Beautiful to look at, but the story goes nowhere.')).toMatchObject({
      label: 'mixed',
    });
    expect(await shipped.classify('A wonderful, moving film.')).toMatchObject({ label: 'positive' });
  });
});

describe('SentimentClassifier', () => {
  it('labels clear reviews the way the tiny model learned them', async () => {
    expect(await classifier.classify('Great movie, loved it!')).toMatchObject({ label: 'positive' });
    expect(await classifier.classify('Awful and boring.')).toMatchObject({ label: 'negative' });
    expect(classifier.version).toBe('tiny-test');
  });

  it('scores a batch the same as one review at a time, in input order', async () => {
    const reviews = [
      'great great',
      'awful <br /> boring terrible ending',
      'loved',
      'didn’t care, boring',
      'wonderful story',
    ];
    const batch = await classifier.classifyBatch(reviews);
    const single = await Promise.all(reviews.map((r) => classifier.classify(r)));
    batch.forEach((p, i) => {
      expect(p.label).toBe(single[i]?.label);
      expect(p.score).toBeCloseTo(single[i]?.score ?? NaN, 5);
    });
  });

  it('cuts long lists into batches of similar length without changing any score', async () => {
    const reviews = Array.from({ length: 70 }, (_, i) =>
      (i % 2 ? 'great loved wonderful ' : 'awful boring ').repeat((i % 9) + 1),
    );
    const small = new SentimentClassifier(classifier.vocabulary, classifier.session, classifier.version, {
      batchSize: 4,
    });
    const [a, b] = await Promise.all([classifier.classifyBatch(reviews), small.classifyBatch(reviews)]);
    a.forEach((p, i) => {
      expect(p.score).toBeCloseTo(b[i]?.score ?? NaN, 5);
    });
  });

  it('scores an empty review (documented: as one padding token) and text with no tokens the same', async () => {
    const empty = await classifier.classify('');
    expect(empty.score).toBeGreaterThan(0);
    expect(empty.score).toBeLessThan(1);
    expect((await classifier.classify('   ### ***  ')).score).toBeCloseTo(empty.score, 6);
  });

  it.each([[42], [null], [undefined], [{ text: 'great' }]])(
    'refuses a review that is not text (%j)',
    async (review) => {
      await expect(classifier.classify(review)).rejects.toMatchObject({ code: 'REVIEW_NOT_TEXT' });
    },
  );

  it('gives the ids and scores PyTorch gave for the same reviews (text pipeline + ONNX Runtime)', async () => {
    const expected = JSON.parse(await readFile(join(TINY, 'expected.json'), 'utf8')) as {
      text: string;
      ids: number[];
      score: number;
    }[];
    expect(expected.length).toBeGreaterThan(0);
    for (const { text, ids, score } of expected) {
      expect([...encode(text, classifier.vocabulary)]).toEqual(ids);
      expect(Math.abs((await classifier.classify(text)).score - score)).toBeLessThan(1e-5);
    }
  });
});

describe('loading an artifact', () => {
  it('refuses a model file that does not match its card', async () => {
    const dir = await copyOfTiny();
    const model = await readFile(join(dir, 'model.onnx'));
    model.writeUInt8(model.readUInt8(model.length - 1) ^ 0xff, model.length - 1);
    await writeFile(join(dir, 'model.onnx'), model);
    await expect(createNodeClassifier(dir)).rejects.toMatchObject({
      code: 'ARTIFACT_CORRUPT',
      message: expect.stringMatching(/model\.onnx/) as unknown,
    });
  });

  it('refuses a vocabulary from another model', async () => {
    const dir = await copyOfTiny();
    const vocab = JSON.parse(await readFile(join(dir, 'vocab.json'), 'utf8')) as { tokens: string[] };
    vocab.tokens.reverse();
    await writeFile(join(dir, 'vocab.json'), JSON.stringify(vocab));
    await expect(createNodeClassifier(dir)).rejects.toMatchObject({
      code: 'ARTIFACT_CORRUPT',
      message: expect.stringMatching(/vocab\.json/) as unknown,
    });
  });

  it('refuses a missing file and a broken card with what is wrong', async () => {
    const dir = await copyOfTiny();
    await rm(join(dir, 'model.onnx'));
    await expect(createNodeClassifier(dir)).rejects.toMatchObject({
      code: 'ARTIFACT_MISSING',
      message: expect.stringMatching(/model\.onnx/) as unknown,
    });
    await writeFile(join(dir, 'card.json'), '{"format": "reelsense-model-card"');
    await expect(createNodeClassifier(dir)).rejects.toMatchObject({ code: 'ARTIFACT_INVALID' });
  });

  it('refuses a model trained with another text pipeline', async () => {
    const read = async (name: string): Promise<Uint8Array> => {
      const bytes = await readFile(join(TINY, name));
      if (name !== 'card.json') return bytes;
      const card = JSON.parse(bytes.toString('utf8')) as Record<string, unknown>;
      return new TextEncoder().encode(JSON.stringify({ ...card, textPipeline: 'reelsense-text/0' }));
    };
    await expect(loadArtifact(read, 'memory')).rejects.toMatchObject({ code: 'ARTIFACT_PIPELINE_MISMATCH' });
  });
});
