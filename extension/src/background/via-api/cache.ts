/**
 * Answers already received from the API, by SHA-256 of the review text, so a review seen again
 * (a page reloaded, "load more", the same review on two pages) costs no request. Kept in memory
 * and, where the browser has it, in storage.session, which outlives the service worker's restarts
 * but not the browser session, and is not readable by content scripts. Each API URL has its own
 * entries: another deployment may serve another model.
 */
import { isSentimentLabel, isUnitNumber } from '../../../../public-api/client.ts';
import type { SentimentResult } from '../../../../public-api/contract.ts';

export interface CachedAnswer extends SentimentResult {
  readonly model: string;
}

/** The part of storage.session used here (a browser.storage.StorageArea). */
export interface SessionArea {
  get(keys: string[]): Promise<Record<string, unknown>>;
  set(items: Record<string, unknown>): Promise<void>;
}

export async function sha256Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** An entry as this version stores it; one stored by an older version (no `readable`) is a miss. */
function isCachedAnswer(value: unknown): value is CachedAnswer {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return isSentimentLabel(v.label) && isUnitNumber(v.score) && isUnitNumber(v.readable) && typeof v.model === 'string';
}

/** The most answers kept in memory; the oldest go first. */
export const MEMORY_ENTRIES = 5_000;

export class AnswerCache {
  readonly #memory = new Map<string, CachedAnswer>();

  constructor(
    private readonly session: SessionArea | undefined,
    private readonly capacity = MEMORY_ENTRIES,
  ) {}

  static keyFor(namespace: string, textHash: string): string {
    return `answer:${namespace}:${textHash}`;
  }

  /** The cached answers among `keys`, by key. */
  async getMany(keys: readonly string[]): Promise<Map<string, CachedAnswer>> {
    const found = new Map<string, CachedAnswer>();
    const missing: string[] = [];
    for (const key of keys) {
      const hit = this.#memory.get(key);
      if (hit === undefined) missing.push(key);
      else found.set(key, hit);
    }
    if (missing.length > 0 && this.session !== undefined) {
      let stored: Record<string, unknown> = {};
      try {
        stored = await this.session.get(missing);
      } catch {
        // storage.session unavailable (an old browser, or a quota problem): memory alone.
      }
      for (const key of missing) {
        const value = stored[key];
        if (isCachedAnswer(value)) {
          found.set(key, value);
          this.#remember(key, value);
        }
      }
    }
    return found;
  }

  async setMany(entries: ReadonlyMap<string, CachedAnswer>): Promise<void> {
    for (const [key, answer] of entries) this.#remember(key, answer);
    if (this.session === undefined || entries.size === 0) return;
    try {
      await this.session.set(Object.fromEntries(entries));
    } catch {
      // Over the session quota: the memory copy still serves this worker's life.
    }
  }

  #remember(key: string, answer: CachedAnswer): void {
    this.#memory.delete(key);
    this.#memory.set(key, answer);
    if (this.#memory.size > this.capacity) {
      const oldest = this.#memory.keys().next();
      if (oldest.done !== true) this.#memory.delete(oldest.value);
    }
  }
}
