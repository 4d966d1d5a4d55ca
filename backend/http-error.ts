/**
 * The error every part of the serving chain throws for an answer it means to give: a code from
 * the contract, the status that goes with it, and a sentence a person can act on. Anything else
 * thrown is a bug and is answered as INTERNAL_ERROR, without its stack.
 */
import { ERROR_STATUS, type ErrorCode, type ErrorResponse } from '../public-api/contract.ts';

export class HttpError extends Error {
  override readonly name: string = 'HttpError';
  readonly status: number;

  constructor(
    readonly code: ErrorCode,
    message: string,
    /** Extra response headers, e.g. Retry-After on THROTTLED. */
    readonly headers: Readonly<Record<string, string>> = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.status = ERROR_STATUS[code];
  }

  toBody(): ErrorResponse {
    return { error: { code: this.code, message: this.message } };
  }
}

/** Any thrown value as an HttpError: itself, or INTERNAL_ERROR with a fixed sentence. */
export function asHttpError(error: unknown): HttpError {
  if (error instanceof HttpError) return error;
  return new HttpError(
    'INTERNAL_ERROR',
    'Something went wrong on our side; the request was not processed.',
    {},
    {
      cause: error,
    },
  );
}
