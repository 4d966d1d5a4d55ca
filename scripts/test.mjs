/**
 * `npm test`: installs what is missing, then runs every check and test. Each step runs even
 * when an earlier one failed, so one run shows everything; the exit code is non-zero if any
 * step failed.
 *   npm test                    lint, type check, Vitest, pytest, cfn-lint of the CDK templates
 *   npm test -- --only=ts|py|lint|types|cfn    one step
 */
import { spawn } from 'node:child_process';
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

const STEP_NAMES = ['lint', 'types', 'ts', 'py', 'cfn'];
const only = process.argv.find((a) => a.startsWith('--only='))?.slice('--only='.length);
if (only !== undefined && !STEP_NAMES.includes(only)) {
  process.stderr.write(`error: --only must be one of ${STEP_NAMES.join(', ')}, not "${only}".\n`);
  process.exit(2);
}
ensureNodeModules();

// pytest exits 5 when a folder has no tests yet: that is not a failure.
const PYTEST_NO_TESTS = 5;

/**
 * The installs the later steps need (browsers, the two Python venvs), started at once in child
 * processes: lint and the type check are single-threaded, so on a 2-core machine the installs
 * run on the other core instead of one after another (about 80 s less from a fresh clone). Each
 * step waits for its own install and shows its output; the step's ensure call after that is a
 * no-op when the install worked, and otherwise runs it again in the foreground, failing with its
 * own clear message.
 */
function inBackground(ensure) {
  const script = `import(${JSON.stringify(new URL('./bootstrap.mjs', import.meta.url).href)}).then((m) => m.${ensure}())`;
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  const done = new Promise((resolve) => {
    child.on('error', () => resolve());
    child.on('close', () => resolve());
  });
  return async () => {
    await done;
    process.stderr.write(output);
  };
}

const wanted = (name) => only === undefined || only === name;
const installs = {
  ts: wanted('ts') ? inBackground('ensureBrowsers') : undefined,
  py: wanted('py') ? inBackground('ensurePythonVenv') : undefined,
  cfn: wanted('cfn') ? inBackground('ensureCfnLint') : undefined,
};

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

const results = [];
for (const [name, step] of Object.entries(STEPS)) {
  if (!wanted(name)) continue;
  process.stderr.write(`\n== ${name} ==\n`);
  await installs[name]?.();
  results.push([name, step()]);
}
const failed = results.filter(([, code]) => code !== 0).map(([name]) => name);
process.stderr.write(`\n${results.map(([name, code]) => `${name}: ${code === 0 ? 'ok' : 'FAILED'}`).join(', ')}\n`);
process.exit(failed.length === 0 ? 0 : 1);
