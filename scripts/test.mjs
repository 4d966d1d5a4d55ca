/**
 * `npm test`: installs what is missing, then runs every check and test. Each step runs even
 * when an earlier one failed, so one run shows everything; the exit code is non-zero if any
 * step failed.
 *   npm test                    lint, type check, Vitest, pytest, cfn-lint of the CDK templates
 *   npm test -- --only=ts|py|lint|types|cfn    one step
 */
import { join } from 'node:path';
import {
  CFN_LINT,
  ROOT,
  VENV_PYTHON,
  ensureCfnLint,
  ensureBrowsers,
  ensureNodeModules,
  ensurePythonVenv,
  run,
} from './bootstrap.mjs';

const bin = (name) => join(ROOT, 'node_modules', '.bin', name);

// pytest exits 5 when a folder has no tests yet: that is not a failure.
const PYTEST_NO_TESTS = 5;

const STEPS = {
  lint: () => run(bin('eslint'), ['.']) || run(bin('prettier'), ['--check', '--log-level', 'warn', '.']),
  types: () => run(bin('tsc'), ['--noEmit']),
  ts: () => {
    ensureBrowsers();
    return run(bin('vitest'), ['run']);
  },
  py: () => {
    ensurePythonVenv();
    const code = run(VENV_PYTHON, ['-m', 'pytest', '-q', 'model/train']);
    return code === PYTEST_NO_TESTS ? 0 : code;
  },
  // The CDK app synthesised offline (no AWS account), every template linted: errors fail, warnings print.
  cfn: () => {
    ensureCfnLint();
    return run(bin('tsx'), ['backend/infra/scripts/lint-templates.ts', CFN_LINT]);
  },
};

const only = process.argv.find((a) => a.startsWith('--only='))?.slice('--only='.length);
if (only !== undefined && !(only in STEPS)) {
  process.stderr.write(`error: --only must be one of ${Object.keys(STEPS).join(', ')}, not "${only}".\n`);
  process.exit(2);
}

ensureNodeModules();
const results = [];
for (const [name, step] of Object.entries(STEPS)) {
  if (only !== undefined && name !== only) continue;
  process.stderr.write(`\n== ${name} ==\n`);
  results.push([name, step()]);
}
const failed = results.filter(([, code]) => code !== 0).map(([name]) => name);
process.stderr.write(`\n${results.map(([name, code]) => `${name}: ${code === 0 ? 'ok' : 'FAILED'}`).join(', ')}\n`);
process.exit(failed.length === 0 ? 0 : 1);
