/**
 * Typed sending: each request gets the reply its type promises, checked at run time, or a
 * MessageError with a sentence a person can read. Receivers answer with `Reply<T>` (reply.ts;
 * never a thrown error across the boundary), so a failure keeps its code and message.
 */
import browser from 'webextension-polyfill';
import { MessageError } from './reply.ts';
import type { BackgroundReplies, BackgroundRequest, ContentReplies, ContentRequest } from './types.ts';
import { isClassification, isPageSummary, isReplyOf, isStatus } from './validate.ts';

type Guards<Replies> = { readonly [K in keyof Replies]: (value: unknown) => value is Replies[K] };

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null;

const BACKGROUND_REPLIES: Guards<BackgroundReplies> = {
  classify: isClassification,
  explain: isClassification,
  status: isStatus,
  'warm-up': (value): value is BackgroundReplies['warm-up'] => isRecord(value) && typeof value.warmed === 'boolean',
  'analyse-page': isPageSummary,
};

const CONTENT_REPLIES: Guards<ContentReplies> = {
  ping: (value): value is ContentReplies['ping'] => isRecord(value) && value.ready === true,
  'page-summary': isPageSummary,
  'mark-page': isPageSummary,
  'read-selection': (value): value is ContentReplies['read-selection'] =>
    isRecord(value) && typeof value.text === 'string',
  'show-selection': (value): value is ContentReplies['show-selection'] =>
    isRecord(value) && typeof value.shown === 'boolean',
};

function unwrap<T>(reply: unknown, guard: (value: unknown) => value is T, what: string): T {
  if (!isReplyOf(guard)(reply)) {
    throw new MessageError('BAD_REPLY', `ReelSense got an unreadable answer to "${what}"; reload the extension.`);
  }
  if (!reply.ok) throw new MessageError(reply.problem.code, reply.problem.message);
  return reply.value;
}

export async function toBackground<R extends BackgroundRequest>(request: R): Promise<BackgroundReplies[R['type']]> {
  const guard = BACKGROUND_REPLIES[request.type as R['type']];
  let reply: unknown;
  try {
    reply = await browser.runtime.sendMessage(request);
  } catch (cause) {
    throw new MessageError('NO_BACKGROUND', 'ReelSense could not reach its background page; reload the extension.', {
      cause,
    });
  }
  return unwrap(reply, guard, request.type);
}

export async function toTab<R extends ContentRequest>(
  tabId: number,
  request: R,
  frameId = 0,
): Promise<ContentReplies[R['type']]> {
  const guard = CONTENT_REPLIES[request.type as R['type']];
  let reply: unknown;
  try {
    reply = await browser.tabs.sendMessage(tabId, request, { frameId });
  } catch (cause) {
    throw new MessageError('NO_CONTENT_SCRIPT', 'ReelSense is not running in this tab.', { cause });
  }
  return unwrap(reply, guard, request.type);
}
