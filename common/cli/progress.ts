/**
 * A one-line progress bar on stderr for long CLI work. On a terminal it redraws in place;
 * elsewhere (CI logs, pipes) it prints a line at each tenth so logs stay short.
 */
export interface Progress {
  /** Moves the bar to `done` of `total`. */
  update(done: number): void;
  /** Completes the bar and prints the elapsed time. */
  finish(summary?: string): void;
}

function formatCount(n: number, unit: string): string {
  if (unit === 'B') {
    if (n >= 1 << 20) return `${(n / (1 << 20)).toFixed(1)} MiB`;
    if (n >= 1 << 10) return `${(n / (1 << 10)).toFixed(1)} KiB`;
    return `${n} B`;
  }
  return `${n.toLocaleString('en-US')} ${unit}`;
}

const SILENT: Progress = { update() {}, finish() {} };

export interface ProgressOptions {
  /** No output at all (tests, library callers that print their own). */
  readonly quiet?: boolean;
  readonly stream?: NodeJS.WriteStream;
}

export function progress(label: string, total: number, unit = 'items', options: ProgressOptions = {}): Progress {
  if (options.quiet === true) return SILENT;
  const stream = options.stream ?? process.stderr;
  const started = performance.now();
  const interactive = stream.isTTY;
  let lastTenth = -1;
  let lastDraw = 0;
  const line = (done: number): string => {
    const fraction = total > 0 ? Math.min(1, done / total) : 0;
    const width = 24;
    const filled = Math.round(fraction * width);
    const seconds = (performance.now() - started) / 1000;
    const rate = seconds > 0 ? done / seconds : 0;
    const counts = total > 0 ? `${formatCount(done, unit)} / ${formatCount(total, unit)}` : formatCount(done, unit);
    return `${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${(fraction * 100).toFixed(0).padStart(3)}% ${counts} ${formatCount(Math.round(rate), unit)}/s`;
  };
  return {
    update(done) {
      if (interactive) {
        const now = performance.now();
        if (now - lastDraw < 100 && done < total) return;
        lastDraw = now;
        stream.write(`\r${line(done)}\x1b[K`);
      } else if (total > 0) {
        const tenth = Math.floor((done / total) * 10);
        if (tenth > lastTenth) {
          lastTenth = tenth;
          stream.write(`${line(done)}\n`);
        }
      }
    },
    finish(summary) {
      const seconds = ((performance.now() - started) / 1000).toFixed(1);
      const end = `${label}: done in ${seconds} s${summary ? `, ${summary}` : ''}`;
      stream.write(interactive ? `\r${end}\x1b[K\n` : `${end}\n`);
    },
  };
}
