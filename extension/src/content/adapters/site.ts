/**
 * What every site adapter does, written once: match the URL by host and path, find the review
 * containers by the site's selectors (selectors.ts), read each one's text, and fall back on the
 * page's JSON-LD reviews when none of the selectors match. A site file only says which site.
 */
import { inDocumentOrder, isHTMLElement, outermost, queryAll } from './dom.ts';
import { findJsonLdReviews } from './json-ld.ts';
import type { SiteSelectors } from './selectors.ts';
import { capTraced, tidyTraced, traceReviewText } from './text.ts';
import { added, joinWith, replace, TextSource, type TextOrigin, type Traced } from './traced.ts';
import type { FoundReview, SiteAdapter } from './types.ts';

export interface SiteDefinition {
  readonly id: string;
  readonly name: string;
  /** The site's domains; their subdomains (www., m.) match too. */
  readonly hosts: readonly string[];
  /** Paths of the pages that show reviews (tested against URL.pathname). */
  readonly paths: readonly RegExp[];
  readonly selectors: SiteSelectors;
}

/** Whether `hostname` is one of `hosts` or a subdomain of one. */
export function onHost(hostname: string, hosts: readonly string[]): boolean {
  const host = hostname.toLowerCase().replace(/\.$/, '');
  return hosts.some((domain) => host === domain || host.endsWith(`.${domain}`));
}

/** The review text of a container, by the site's text selectors, then its text attributes. */
export function containerText(container: Element, selectors: SiteSelectors): string {
  return traceContainerText(container, selectors).traced.text;
}

/** containerText, traced to the page's text nodes (an attribute's text is not on the page: untraced). */
export function traceContainerText(container: Element, selectors: SiteSelectors): TextOrigin {
  const source = new TextSource();
  for (const selector of selectors.text) {
    const parts = outermost(queryAll(container, selector))
      .map((element) => traceReviewText(element, {}, source))
      .filter((part) => part.text !== '');
    const traced = withoutLabels(joinWith(parts, '\n\n'), selectors);
    if (traced.text !== '') return { traced, source };
  }
  for (const attribute of selectors.textAttributes ?? []) {
    const traced = withoutLabels(added(container.getAttribute(attribute) ?? ''), selectors);
    if (traced.text !== '') return { traced, source };
  }
  return { traced: added(''), source };
}

function withoutLabels(text: Traced, selectors: SiteSelectors): Traced {
  let result = text;
  for (const label of selectors.labels ?? []) result = replace(result, label, ' ');
  return capTraced(tidyTraced(result));
}

/**
 * The reviews under `root` by the site's selectors: every container that has text, a container
 * inside another being the same review, and a container holding two or more others being a
 * list rather than a review.
 */
export function findBySelectors(root: ParentNode, selectors: SiteSelectors): FoundReview[] {
  const candidates = new Map<HTMLElement, TextOrigin>();
  for (const selector of selectors.review) {
    for (const element of queryAll(root, selector)) {
      if (!isHTMLElement(element) || candidates.has(element)) continue;
      const origin = traceContainerText(element, selectors);
      if (origin.traced.text !== '') candidates.set(element, origin);
    }
  }
  const elements = [...candidates.keys()];
  const counts = innerCounts(elements);
  const lists = new Set(elements.filter((element) => (counts.get(element) ?? 0) >= 2));
  const reviews = outermost(elements.filter((element) => !lists.has(element)));
  return inDocumentOrder(
    reviews.map((element) => {
      const origin = candidates.get(element);
      return origin === undefined ? { element, text: '' } : { element, text: origin.traced.text, origin };
    }),
  );
}

/** For each element, how many of the others have it as their nearest enclosing element of the list. */
function innerCounts(elements: readonly Element[]): Map<Element, number> {
  const set = new Set(elements);
  const counts = new Map<Element, number>();
  for (const element of elements) {
    for (let parent = element.parentElement; parent; parent = parent.parentElement) {
      if (set.has(parent)) {
        counts.set(parent, (counts.get(parent) ?? 0) + 1);
        break;
      }
    }
  }
  return counts;
}

/** A site adapter from its definition. */
export function defineSiteAdapter(definition: SiteDefinition): SiteAdapter {
  const { id, name, hosts, paths, selectors } = definition;
  return {
    id,
    name,
    matches(url: URL): boolean {
      if (url.protocol !== 'https:' && url.protocol !== 'http:') return false;
      return onHost(url.hostname, hosts) && paths.some((path) => path.test(url.pathname));
    },
    find(root: ParentNode): FoundReview[] {
      const found = findBySelectors(root, selectors);
      return found.length > 0 ? found : findJsonLdReviews(root);
    },
  };
}
