/** How the benchmarks print numbers. */

/** Milliseconds: two decimals below 100, whole above. */
export const ms = (x: number): string => (x >= 100 ? x.toFixed(0) : x.toFixed(2));
/** A whole number with thousands separators. */
export const int = (x: number): string => Math.round(x).toLocaleString('en-US');
/** A fraction as a percentage with one decimal. */
export const pct = (x: number): string => `${(100 * x).toFixed(1)}%`;
/** kB as MB with one decimal; '?' when unknown. */
export const mb = (kb: number | undefined): string => (kb === undefined ? '?' : (kb / 1024).toFixed(1));
/** A bar's verdict in a Markdown table. */
export const verdict = (ok: boolean): string => (ok ? 'met' : '**MISSED**');
