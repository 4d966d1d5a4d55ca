/**
 * The error every ReelSense model-side module throws for a problem a user can act on.
 * `code` is stable and machine-readable; `message` is a sentence a person can follow.
 * Browser-safe: no Node APIs.
 */
export class ReelSenseError extends Error {
  override readonly name: string = 'ReelSenseError';

  constructor(
    readonly code: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
