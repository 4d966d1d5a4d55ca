/**
 * What the SageMaker scripts share: printing a request on --dry-run, reading the deploy outputs
 * (`npm run deploy` writes backend/infra/dist/cdk-outputs.json), the region, and waiting on SageMaker.
 */
import { existsSync, readFileSync } from 'node:fs';
import { SageMakerClient } from '@aws-sdk/client-sagemaker';
import { ReelSenseError } from '../../../common/errors.ts';
import type { PlannedRequest } from './requests.ts';

export type Print = (text: string) => void;

/** One request as --dry-run shows it: `==> Command` and the input as JSON. */
export function formatRequest(request: PlannedRequest): string {
  return `==> ${request.command}\n${JSON.stringify(request.input, null, 2)}\n`;
}

/** The requests in `text` (a dry run's output), parsed back: what tests check. */
export function parseDryRun(text: string): PlannedRequest[] {
  return text
    .split(/^==> /m)
    .slice(1)
    .map((block) => {
      const newline = block.indexOf('\n');
      const json = block.slice(newline + 1);
      // A request's JSON ends where a line that is not part of it starts (notes after it).
      const end = json.search(/^\}$/m);
      return { command: block.slice(0, newline).trim(), input: JSON.parse(json.slice(0, end + 1)) as object };
    });
}

/** The outputs of each deployed stack (`cdk deploy --outputs-file`), or {} before the first deploy. */
export function readDeployOutputs(path: string): Record<string, Record<string, string>> {
  if (!existsSync(path)) return {};
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as Record<string, Record<string, string>>;
  } catch (error) {
    throw new ReelSenseError('BAD_OUTPUTS', `${path} is not the JSON that cdk deploy writes; deploy again.`, {
      cause: error,
    });
  }
}

/** --region, else AWS_REGION or AWS_DEFAULT_REGION, else what the AWS SDK finds in the profile's config. */
export async function resolveRegion(flag: string | undefined): Promise<string> {
  const given = flag ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION;
  if (given !== undefined && given !== '') return given;
  const client = new SageMakerClient({});
  try {
    return await client.config.region();
  } catch {
    throw new ReelSenseError('NO_REGION', 'No AWS region: pass --region or set AWS_REGION.');
  } finally {
    client.destroy();
  }
}

/** A value that must come from a flag or the deploy outputs. */
export function required(value: string | undefined, what: string): string {
  if (value === undefined || value === '') {
    throw new ReelSenseError('MISSING_OPTION', `${what} is unknown: deploy first (npm run deploy) or pass it.`);
  }
  return value;
}

/** A whole number flag, at least `min`. */
export function integerFlag(flags: Map<string, string>, name: string, fallback: number, min = 1): number {
  const raw = flags.get(name);
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value < min) {
    throw new ReelSenseError('BAD_OPTION', `--${name} must be a whole number of at least ${min}, not "${raw}".`);
  }
  return value;
}

export const sleep = (ms: number): Promise<void> =>
  new Promise((resolve) => {
    setTimeout(resolve, ms);
  });

/** `12m 05s` */
export function elapsed(ms: number): string {
  const seconds = Math.round(ms / 1000);
  return `${Math.floor(seconds / 60)}m ${String(seconds % 60).padStart(2, '0')}s`;
}

/** How to wait on a SageMaker resource: describe it, say where it is, decide whether it is done. */
export interface Poll<State, Result> {
  readonly describe: () => Promise<State>;
  /** The status line, printed with the time taken whenever it changes. */
  readonly line: (state: State) => string;
  /** The result once finished, undefined while still going; throws on a terminal failure. */
  readonly outcome: (state: State) => Result | undefined;
  readonly pollMs: number;
  readonly print: Print;
  readonly wait: (ms: number) => Promise<void>;
}

/** Describes every `pollMs` until `outcome` gives a result (or throws). */
export async function pollStatus<State, Result>(poll: Poll<State, Result>): Promise<Result> {
  const started = Date.now();
  let last = '';
  for (;;) {
    const state = await poll.describe();
    const line = poll.line(state);
    if (line !== last) poll.print(`[${elapsed(Date.now() - started)}] ${line}\n`);
    last = line;
    const result = poll.outcome(state);
    if (result !== undefined) return result;
    await poll.wait(poll.pollMs);
  }
}
