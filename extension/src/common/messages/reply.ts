/**
 * Replies across the extension's message boundary: `Reply<T>` values rather than thrown errors,
 * and MessageError for a failed one on the sending side. No browser APIs: tests import it.
 */
import type { Problem, Reply } from './types.ts';

export class MessageError extends Error {
  override readonly name: string = 'MessageError';
  constructor(
    readonly code: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export const ok = <T>(value: T): Reply<T> => ({ ok: true, value });
export const failed = (problem: Problem): Reply<never> => ({ ok: false, problem });

/** Any thrown value as a Problem; the message is ours when the error is not one of ours. */
export function problemFrom(error: unknown, fallback: string): Problem {
  if (error instanceof MessageError) return { code: error.code, message: error.message };
  if (error instanceof Error && 'code' in error && typeof error.code === 'string') {
    return { code: error.code, message: error.message };
  }
  return { code: 'INTERNAL', message: fallback };
}
