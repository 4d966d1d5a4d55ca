/**
 * The two sizes the kit's views come in, each a class on the view's root (`verdict--full`, …) that
 * kit.css styles:
 *   full     the website's answer card: a heading, a confidence meter, focusable for the answer region;
 *   compact  one line and a meta line: the extension's popup and selection popover.
 */
export type Layout = 'full' | 'compact';
