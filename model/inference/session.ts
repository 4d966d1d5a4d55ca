/**
 * The ONNX Runtime session behind the classifier, written against the API that
 * onnxruntime-node and onnxruntime-web share: the caller passes in whichever module it has.
 * Browser-safe.
 */
import type { InferenceSession, Tensor } from 'onnxruntime-common';

/** What the classifier needs from a model: P(positive) for a right-padded batch of ids. */
export interface SentimentSession {
  run(ids: BigInt64Array, lengths: BigInt64Array, batch: number, length: number): Promise<Float32Array>;
}

/** The part of `onnxruntime-node` / `onnxruntime-web` used here. */
export interface OrtModule {
  readonly InferenceSession: {
    create(model: Uint8Array, options?: InferenceSession.SessionOptions): Promise<InferenceSession>;
  };
  readonly Tensor: new (type: 'int64', data: BigInt64Array, dims: readonly number[]) => Tensor;
}

export async function createSentimentSession(
  ort: OrtModule,
  model: Uint8Array,
  options: InferenceSession.SessionOptions = {},
): Promise<SentimentSession> {
  const session = await ort.InferenceSession.create(model, { graphOptimizationLevel: 'all', ...options });
  return {
    async run(ids, lengths, batch, length) {
      const output = await session.run({
        ids: new ort.Tensor('int64', ids, [batch, length]),
        lengths: new ort.Tensor('int64', lengths, [batch]),
      });
      const positive = output.positive;
      if (positive === undefined) throw new Error('The model has no "positive" output.');
      return positive.data as Float32Array;
    },
  };
}
