/** Progress lines on stderr for long phases, so stdout keeps only the figures. */

const PROGRESS_EVERY_MS = 3000;

/** Prints `label...` now and `label: status() (N s)` every 3 s; call the result to stop. */
export function progress(label: string, status: () => string): () => void {
  const started = performance.now();
  process.stderr.write(`${label}...\n`);
  const timer = setInterval(() => {
    const seconds = ((performance.now() - started) / 1000).toFixed(0);
    process.stderr.write(`  ${label}: ${status()} (${seconds} s)\n`);
  }, PROGRESS_EVERY_MS);
  return () => {
    clearInterval(timer);
  };
}
