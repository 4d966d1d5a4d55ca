/**
 * Installs what `npm start` and `npm test` need, using only Node's built-ins (it runs before
 * any package is installed). Each install is stamped with the hash of its lock files, so a
 * second run does nothing until package-lock.json or a requirements or constraints file changes.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
export const VENV = join(ROOT, 'model', 'train', '.venv');
export const VENV_PYTHON = join(VENV, 'bin', 'python');
const REQUIREMENTS = join(ROOT, 'model', 'train', 'requirements.txt');
const CONSTRAINTS = join(ROOT, 'model', 'train', 'constraints.txt');
// cfn-lint has a venv of its own: its dependencies and the pinned torch never meet.
export const INFRA_VENV = join(ROOT, 'backend', 'infra', '.venv');
export const CFN_LINT = join(INFRA_VENV, 'bin', 'cfn-lint');
const INFRA_REQUIREMENTS = join(ROOT, 'backend', 'infra', 'requirements.txt');
const INFRA_CONSTRAINTS = join(ROOT, 'backend', 'infra', 'constraints.txt');

export function fail(message) {
  process.stderr.write(`\nerror: ${message}\n`);
  process.exit(1);
}

/** Runs a command in the repository root with inherited output; returns its exit code. */
export function run(command, args, options = {}) {
  const result = spawnSync(command, args, { cwd: ROOT, stdio: 'inherit', ...options });
  if (result.error) fail(`could not run ${command}: ${result.error.message}`);
  return result.status ?? 1;
}

const hashOf = (...paths) => {
  const hash = createHash('sha256');
  for (const path of paths) hash.update(readFileSync(path));
  return hash.digest('hex');
};
const stampMatches = (stamp, hash) => existsSync(stamp) && readFileSync(stamp, 'utf8').trim() === hash;

export function checkNode() {
  const [major, minor] = process.versions.node.split('.').map(Number);
  if (major < 20 || (major === 20 && minor < 19)) {
    fail(
      `ReelSense needs Node.js 20.19 or newer; this is ${process.versions.node}. Install a newer Node.js and run the command again.`,
    );
  }
}

export function ensureNodeModules() {
  checkNode();
  const lock = join(ROOT, 'package-lock.json');
  const stamp = join(ROOT, 'node_modules', '.reelsense-install-stamp');
  const hash = hashOf(lock);
  if (stampMatches(stamp, hash)) return;
  process.stderr.write('Installing npm packages (npm ci)...\n');
  // No install scripts: none is needed (esbuild's binary comes as a package, onnxruntime-node's
  // script only downloads CUDA binaries), and a dependency's script is code run at install time.
  if (run('npm', ['ci', '--ignore-scripts', '--no-audit', '--no-fund']) !== 0) {
    fail('npm ci failed (see above). Check that the npm registry is reachable, then run the command again.');
  }
  writeFileSync(stamp, `${hash}\n`);
}

export function ensurePythonVenv() {
  ensureVenv(VENV, REQUIREMENTS, CONSTRAINTS, "ReelSense's training code", 'first run takes about a minute');
}

/** cfn-lint for the `cfn` test step, in backend/infra/.venv. */
export function ensureCfnLint() {
  ensureVenv(
    INFRA_VENV,
    INFRA_REQUIREMENTS,
    INFRA_CONSTRAINTS,
    'The CloudFormation linter (cfn-lint)',
    'first run takes about 20 s',
  );
}

/**
 * A virtual environment with a requirements file installed within its constraints file (the
 * lock: every package at its tested version), stamped with the two files' hash.
 */
function ensureVenv(venv, requirements, constraints, what, duration) {
  const stamp = join(venv, '.reelsense-install-stamp');
  const hash = hashOf(requirements, constraints);
  if (stampMatches(stamp, hash)) return;
  const venvPython = join(venv, 'bin', 'python');
  const python = process.env.PYTHON ?? 'python3';
  const version = spawnSync(python, ['-c', 'import sys; print("%d.%d" % sys.version_info[:2])'], { encoding: 'utf8' });
  if (version.status !== 0)
    fail(
      `${python} was not found. Install Python 3.10 or newer (or set PYTHON to its path) and run the command again.`,
    );
  const [major, minor] = version.stdout.trim().split('.').map(Number);
  if (major < 3 || (major === 3 && minor < 10))
    fail(`${what} needs Python 3.10 or newer; ${python} is ${version.stdout.trim()}.`);
  if (!existsSync(venvPython) && run(python, ['-m', 'venv', venv]) !== 0) {
    fail(`could not create the virtual environment in ${venv}.`);
  }
  const where = relative(ROOT, venv);
  process.stderr.write(`Installing Python packages into ${where} (${duration})...\n`);
  const pip = ['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', '-r', requirements, '-c', constraints];
  if (run(venvPython, pip) !== 0) {
    fail('pip install failed (see above). Check that PyPI is reachable, then run the command again.');
  }
  writeFileSync(stamp, `${hash}\n`);
}

export const CHROMIUM = '/usr/bin/chromium';
export const FIREFOX = '/usr/bin/firefox-esr';

/**
 * Debian's browsers for the browser tests (test tools' own browser downloads do not work here):
 * Chromium (playwright-core) and Firefox ESR (puppeteer-core over WebDriver BiDi), installed
 * with apt in one go when missing.
 */
export function ensureBrowsers() {
  ensureDebianPackages([
    { name: 'Chromium', pkg: 'chromium', path: CHROMIUM },
    { name: 'Firefox ESR', pkg: 'firefox-esr', path: FIREFOX },
  ]);
}

/** apt-get install of the packages whose file is missing (as root, or through sudo -n), updating the lists once if that fails. */
function ensureDebianPackages(packages) {
  const missing = packages.filter(({ path }) => !existsSync(path));
  if (missing.length === 0) return;
  const root = typeof process.getuid === 'function' && process.getuid() === 0;
  const apt = root ? ['apt-get'] : ['sudo', '-n', 'apt-get'];
  const names = missing.map(({ pkg }) => pkg);
  const what = missing.map(({ name }) => name).join(' and ');
  process.stderr.write(`Installing ${what} for the browser tests (apt-get install ${names.join(' ')})...\n`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const install = () => run(apt[0], [...apt.slice(1), 'install', '-y', ...names], { env });
  if (install() !== 0 && (run(apt[0], [...apt.slice(1), 'update']) !== 0 || install() !== 0)) {
    const list = missing.map(({ pkg, path }) => `${pkg} (${path})`).join(', ');
    fail(`could not install ${what}. Install Debian's ${list} and run the command again.`);
  }
}
