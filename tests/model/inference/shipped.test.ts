/** The shipped artifact: intact (every hash checks), and it reads plain reviews the right way. */
import { describe, expect, it } from 'vitest';
import {
  SHIPPED_MODEL_VERSION,
  createNodeClassifier,
  loadArtifactFromDirectory,
} from '../../../model/inference/node.ts';

describe(`shipped model ${SHIPPED_MODEL_VERSION}`, () => {
  it('loads with every file matching its card, under the 10 MB bar', async () => {
    const artifact = await loadArtifactFromDirectory();
    expect(artifact.card.version).toBe(SHIPPED_MODEL_VERSION);
    expect(artifact.model.byteLength).toBeLessThan(10_000_000);
    expect(artifact.card.onnx.parity_max_abs_diff).toBeLessThan(1e-5);
  });

  it('tells clear praise from clear contempt', async () => {
    const classifier = await createNodeClassifier();
    const [good, bad] = await classifier.classifyBatch([
      'One of the best films I have seen in years. Brilliant acting, a moving story, 10/10.',
      "A boring, badly acted mess. I wanted my money back. Don't waste your time: 1/10.",
    ]);
    expect(good).toMatchObject({ label: 'positive' });
    expect(bad).toMatchObject({ label: 'negative' });
  });
});
