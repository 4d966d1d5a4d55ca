// @vitest-environment jsdom
/**
 * A verdict belongs to its text: the shown answer is cleared once the box's text differs from the
 * text it judged (typing, pasting, or a script setting the value), once per change, and a late
 * answer for older text is recognised as such.
 */
import { describe, expect, it } from 'vitest';
import { renderTextChanged, TEXT_CHANGED, TextBoundAnswer } from '../../ui/text-bound.ts';

function setup(): { box: HTMLTextAreaElement; bound: TextBoundAnswer; cleared: () => number } {
  const box = document.createElement('textarea');
  let count = 0;
  const bound = new TextBoundAnswer(box, () => {
    count += 1;
  });
  return { box, bound, cleared: () => count };
}

const type = (box: HTMLTextAreaElement, value: string): void => {
  box.value = value;
  box.dispatchEvent(new Event('input'));
};

describe('TextBoundAnswer', () => {
  it('clears the shown answer when the text changes, once', () => {
    const { box, bound, cleared } = setup();
    type(box, 'Great film.');
    bound.shown(bound.text());
    type(box, 'Great film!');
    type(box, 'Great film!!');
    expect(cleared()).toBe(1);
  });

  it('does nothing while no answer is shown, or when the text comes back unchanged', () => {
    const { box, bound, cleared } = setup();
    type(box, 'one');
    expect(cleared()).toBe(0);
    bound.shown('one');
    type(box, 'one');
    expect(cleared()).toBe(0);
  });

  it('follows a value set by a script only when told (scripts raise no input event)', () => {
    const { box, bound, cleared } = setup();
    type(box, 'first');
    bound.shown('first');
    box.value = 'an example review';
    expect(cleared()).toBe(0);
    bound.textChanged();
    expect(cleared()).toBe(1);
  });

  it('tells a late answer for older text from a current one', () => {
    const { box, bound } = setup();
    type(box, 'being read');
    const asked = bound.text();
    type(box, 'being read, then edited');
    expect(bound.isCurrent(asked)).toBe(false);
    expect(bound.isCurrent(bound.text())).toBe(true);
  });

  it('says so in words, as text', () => {
    const node = renderTextChanged(document);
    expect(node.textContent).toBe(TEXT_CHANGED);
    expect(node.dataset.state).toBe('changed');
  });
});
