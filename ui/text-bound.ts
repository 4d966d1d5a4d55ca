/**
 * A verdict belongs to the text it judged. Both text boxes (the website's and the popup's) keep
 * their shown answer only while the box still holds that text: typing, pasting, an example or any
 * other change clears it, and an answer that arrives for text the box no longer holds is dropped.
 * Without this, "Negative, 100% confidence" sat under a glowing example review until the reader
 * pressed Analyse again.
 */
import { el } from './dom.ts';

/** What a text box's answer region shows once its text has changed since the verdict. */
export const TEXT_CHANGED = 'The text has changed since this verdict: analyse it again for a new one.';

export class TextBoundAnswer {
  /** The text the shown answer judged, or undefined when no answer is shown. */
  private judged: string | undefined;

  /**
   * `onStale` clears the shown answer; it runs once per change away from the judged text. The
   * box's `input` events (typing, pasting, dropping, undo) are followed here; a page that sets
   * `value` itself calls `textChanged()`, since scripts raise no input event.
   */
  constructor(
    private readonly box: HTMLTextAreaElement | HTMLInputElement,
    private readonly onStale: () => void,
  ) {
    box.addEventListener('input', () => {
      this.textChanged();
    });
  }

  /** The text an answer is about to judge: what the box holds now. */
  text(): string {
    return this.box.value;
  }

  /** True when `text` is still what the box holds, so its answer may be shown. */
  isCurrent(text: string): boolean {
    return this.box.value === text;
  }

  /** Records that the answer for `text` is now on screen. */
  shown(text: string): void {
    this.judged = text;
  }

  /** Clears the shown answer if the box no longer holds the text it judged. */
  textChanged(): void {
    if (this.judged === undefined || this.box.value === this.judged) return;
    this.judged = undefined;
    this.onStale();
  }
}

/** The answer region's message after a change: plain words, announced once. */
export function renderTextChanged(doc: Document): HTMLElement {
  return el(doc, 'p', { class: 'answer__changed', 'data-state': 'changed' }, TEXT_CHANGED);
}
