/**
 * `npm test -- --only=cfn`: synthesises the CDK app offline (bin/app.ts, as `cdk synth` runs it)
 * into a temporary folder, twice: with the defaults, and with every optional branch switched on
 * (serverless endpoint, API key, a list of origins, a trained model in S3). Then lints every
 * template with cfn-lint. Errors fail the step; warnings are printed and allowed (W3005 is left
 * out, see below).
 *
 *   tsx backend/infra/scripts/lint-templates.ts [path/to/cfn-lint]
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { INFRA_DIR, REPO_ROOT } from '../lib/paths.ts';

const cfnLint = process.argv[2] ?? join(INFRA_DIR, '.venv', 'bin', 'cfn-lint');
const work = mkdtempSync(join(tmpdir(), 'reelsense-cfn-'));

/** A stand-in for website/dist: the templates do not depend on the page's contents. */
const siteDir = join(work, 'site');
mkdirSync(siteDir);
writeFileSync(join(siteDir, 'index.html'), '<!doctype html><html><head><title>ReelSense</title></head></html>\n');

const VARIANTS: Record<string, Record<string, string>> = {
  default: { siteDir },
  options: {
    siteDir,
    serverless: 'true',
    apiKey: 'true',
    apiKeyQuotaPerDay: '10000',
    allowedOrigins: 'https://reelsense.example,chrome-extension://abcdefghijklmnopabcdefghijklmnop',
    modelDataUrl: 's3://reelsense-example/models/reelsense-20260101-000000/output/model.tar.gz',
  },
};

function synth(name: string, context: Record<string, string>): string[] {
  const outdir = join(work, name);
  const result = spawnSync(join(REPO_ROOT, 'node_modules', '.bin', 'tsx'), ['bin/app.ts'], {
    cwd: INFRA_DIR,
    stdio: ['ignore', 'inherit', 'inherit'],
    env: { ...process.env, CDK_OUTDIR: outdir, CDK_CONTEXT_JSON: JSON.stringify(context) },
  });
  if (result.status !== 0) throw new Error(`synth (${name}) failed with exit code ${String(result.status)}.`);
  return readdirSync(outdir)
    .filter((file) => file.endsWith('.template.json'))
    .map((file) => join(outdir, file));
}

let code = 1;
try {
  const templates = Object.entries(VARIANTS).flatMap(([name, context]) => synth(name, context));
  process.stderr.write(`cfn-lint on ${templates.length} templates (${Object.keys(VARIANTS).join(', ')})...\n`);
  // W3005 (a DependsOn that a GetAtt already implies) is left out: CDK makes a resource depend on a
  // role and on the role's policy together on purpose, the policy being the part that matters.
  const args = ['--non-zero-exit-code', 'error', '--ignore-checks', 'W3005', '--', ...templates];
  const lint = spawnSync(cfnLint, args, { stdio: 'inherit' });
  if (lint.error) throw lint.error;
  code = lint.status ?? 1;
  process.stderr.write(code === 0 ? 'cfn-lint: no errors.\n' : `cfn-lint: errors (exit code ${code}).\n`);
} catch (error) {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
process.exit(code);
