/**
 * The extension's model path in Node: the same SentimentClassifier with onnxruntime-web's
 * WebAssembly backend (one thread, as in the extension) must give the endpoint server's scores
 * (onnxruntime-node) for the same texts, within 1e-4, and the labels the test reviews expect.
 * The end-to-end test checks the same inside Chromium's service worker.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ReelSenseError } from '../../common/errors.ts';
import type { SentimentClassifier } from '../../model/inference/classifier.ts';
import { createNodeClassifier, SHIPPED_ARTIFACT_DIR } from '../../model/inference/node.ts';
import { createWebClassifier } from '../../extension/src/background/on-device/web-classifier.ts';
import { EDGE_TEXTS, PAGE_REVIEWS } from './fixtures/reviews.ts';

const TOLERANCE = 1e-4;
const readShipped = async (name: string): Promise<Uint8Array> =>
  new Uint8Array(await readFile(join(SHIPPED_ARTIFACT_DIR, name)));

let web: SentimentClassifier;
let node: SentimentClassifier;

beforeAll(async () => {
  [web, node] = await Promise.all([createWebClassifier(readShipped, 'the shipped artifact'), createNodeClassifier()]);
}, 60_000);

describe('on-device model (onnxruntime-web) against the server path (onnxruntime-node)', () => {
  it('is the shipped model', () => {
    expect(web.version).toBe(node.version);
  });

  it('gives the same scores within 1e-4', async () => {
    const texts = [...PAGE_REVIEWS.map((r) => r.text), ...EDGE_TEXTS];
    const [fromWeb, fromNode] = await Promise.all([web.classifyBatch(texts), node.classifyBatch(texts)]);
    const gaps = fromWeb.map((p, i) => Math.abs(p.score - (fromNode[i]?.score ?? Number.NaN)));
    expect(Math.max(...gaps)).toBeLessThan(TOLERANCE);
    expect(fromWeb.map((p) => p.label)).toEqual(fromNode.map((p) => p.label));
  });

  it('labels every test review as a reader would', async () => {
    const predictions = await web.classifyBatch(PAGE_REVIEWS.map((r) => r.text));
    expect(predictions.map((p) => p.label)).toEqual(PAGE_REVIEWS.map((r) => r.expected));
  });

  it('refuses a damaged model file, as the server does', async () => {
    const damaged = async (name: string): Promise<Uint8Array> => {
      const bytes = await readShipped(name);
      if (name === 'model.onnx') bytes[1000] = (bytes[1000] ?? 0) ^ 0xff;
      return bytes;
    };
    await expect(createWebClassifier(damaged, 'the extension package')).rejects.toThrow(ReelSenseError);
    await expect(createWebClassifier(damaged, 'the extension package')).rejects.toMatchObject({
      code: 'ARTIFACT_CORRUPT',
    });
  });
});
