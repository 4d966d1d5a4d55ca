/**
 * Size on disk: the bytes of regular files (their length, not blocks), each file counted once;
 * links are not followed. A package counts with its dependencies, resolved as Node resolves them
 * (the package's own node_modules first, then each folder above it up to the root).
 *
 * And what ReelSense and its npm peers would ship, by that count (sizeOnDisk, for the benchmarks):
 * - a peer: its package folder in node_modules with all its dependencies;
 * - ReelSense in-process: the model artifact folder, its inference TypeScript (model/text,
 *   model/inference, common/errors.ts; tests left out) and onnxruntime-node with its dependencies,
 *   with only this platform's binaries (npm installs every platform's: that figure is given too);
 * - ReelSense over HTTP: the same, plus backend/ (endpoint server, Lambda handler, gateway; not
 *   the CDK app in backend/infra/) and @aws-sdk/client-sagemaker-runtime with its dependencies.
 *
 * And a folder zipped as a store takes an upload (zippedSize: the built extension, for its bench).
 */
import { execFileSync } from 'node:child_process';
import { lstatSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, sep } from 'node:path';
import { ROOT } from './local-stack.ts';

export interface SizeOnDisk {
  /** Bytes of what would ship (the sum of `parts`). */
  readonly bytes: number;
  /** What is counted, in words. */
  readonly counts: string;
  readonly parts: readonly { readonly what: string; readonly bytes: number }[];
  /** What `npm install` puts on disk for the same packages, when it differs (every platform's binaries). */
  readonly installedBytes: number | null;
}

export interface FolderOptions {
  /** Skip a file or folder (path relative to the folder counted, `/`-separated); nested node_modules are always skipped. */
  readonly skip?: (relativePath: string) => boolean;
}

/** Bytes of the regular files under `dir` (or of `dir` itself if it is a file). */
export function folderBytes(dir: string, options: FolderOptions = {}): number {
  const walk = (path: string): number => {
    const stat = lstatSync(path);
    if (stat.isFile()) return stat.size;
    if (!stat.isDirectory()) return 0;
    let total = 0;
    for (const name of readdirSync(path)) {
      if (name === 'node_modules') continue;
      const child = join(path, name);
      const rel = relative(dir, child).split(sep).join('/');
      if (options.skip?.(rel) === true) continue;
      total += walk(child);
    }
    return total;
  };
  return walk(dir);
}

interface PackageJson {
  readonly name?: string;
  readonly version?: string;
  readonly license?: string | { readonly type?: string };
  readonly dependencies?: Readonly<Record<string, string>>;
  readonly optionalDependencies?: Readonly<Record<string, string>>;
}

export function readPackageJson(dir: string): PackageJson {
  return JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as PackageJson;
}

/** The license a package.json states (`license`, or the old `license: {type}`); null when none. */
export function licenseOf(pkg: PackageJson): string | null {
  if (typeof pkg.license === 'string') return pkg.license;
  return pkg.license?.type ?? null;
}

function exists(path: string): boolean {
  try {
    lstatSync(path);
    return true;
  } catch {
    return false;
  }
}

/** The folder Node would load package `name` from, for code in `fromDir`; undefined when not installed. */
export function resolvePackageDir(name: string, fromDir: string, root: string): string | undefined {
  for (let dir = fromDir; ; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', name);
    if (exists(join(candidate, 'package.json'))) return candidate;
    if (dir === root || dirname(dir) === dir || relative(root, dir).startsWith('..')) return undefined;
  }
}

/**
 * The package folders of `name` and of everything it depends on (dependencies, and the optional
 * ones that are installed), each once, found from `root` (the folder holding node_modules).
 * A dependency that is missing throws, unless optional.
 */
export function packageClosure(name: string, root: string): string[] {
  const first = resolvePackageDir(name, root, root);
  if (first === undefined) throw new Error(`${name} is not installed under ${root}.`);
  const seen = new Set<string>([first]);
  const queue = [first];
  for (let dir = queue.shift(); dir !== undefined; dir = queue.shift()) {
    const pkg = readPackageJson(dir);
    const deps: [string, boolean][] = [
      ...Object.keys(pkg.dependencies ?? {}).map((d): [string, boolean] => [d, false]),
      ...Object.keys(pkg.optionalDependencies ?? {}).map((d): [string, boolean] => [d, true]),
    ];
    for (const [dep, optional] of deps) {
      const found = resolvePackageDir(dep, dir, root);
      if (found === undefined) {
        if (optional) continue;
        throw new Error(`${dep}, a dependency of ${pkg.name ?? dir}, is not installed.`);
      }
      if (!seen.has(found)) {
        seen.add(found);
        queue.push(found);
      }
    }
  }
  return [...seen];
}

/** Bytes of a package and its dependencies; `skip` applies within the folder of `name` itself. */
export function packageBytes(name: string, root: string, options: FolderOptions = {}): number {
  const [own, ...deps] = packageClosure(name, root);
  if (own === undefined) return 0;
  return folderBytes(own, options) + deps.reduce((total, dir) => total + folderBytes(dir), 0);
}

const noTests = (rel: string): boolean => /\.test\.ts$/.test(rel);

/** onnxruntime-node's bin/napi-vN/<platform>/<arch>/: keep only this machine's. */
const otherPlatforms = (rel: string): boolean => {
  const [top, , platform, arch] = rel.split('/');
  if (top !== 'bin') return false;
  return (platform !== undefined && platform !== process.platform) || (arch !== undefined && arch !== process.arch);
};

function version(name: string): string {
  const dir = resolvePackageDir(name, ROOT, ROOT);
  return dir === undefined ? '?' : (readPackageJson(dir).version ?? '?');
}

/** What a system ships, for sizeOnDisk(): an npm package, or ReelSense in-process or over HTTP (mode 'http'). */
export interface Shipped {
  readonly id: string;
  readonly packageName?: string;
  readonly mode: string;
}

export function sizeOnDisk(spec: Shipped, artifactDir: string | undefined): SizeOnDisk {
  if (spec.packageName !== undefined) {
    const closure = packageClosure(spec.packageName, ROOT);
    const bytes = packageBytes(spec.packageName, ROOT);
    return {
      bytes,
      counts: 'the package folder in node_modules with all its dependencies',
      parts: [
        {
          what: `${spec.packageName} ${version(spec.packageName)} (${closure.length === 1 ? 'no dependencies' : `with ${closure.length - 1} packages it depends on`})`,
          bytes,
        },
      ],
      installedBytes: null,
    };
  }
  if (artifactDir === undefined) throw new Error(`${spec.id}: no artifact folder to measure`);
  const runtime = `onnxruntime-node ${version('onnxruntime-node')} with its dependencies`;
  const parts = [
    { what: `model artifact folder (${artifactDir.replace(ROOT, '')})`, bytes: folderBytes(artifactDir) },
    {
      what: 'inference TypeScript (model/text, model/inference, common/errors.ts)',
      bytes:
        folderBytes(join(ROOT, 'model', 'text'), { skip: noTests }) +
        folderBytes(join(ROOT, 'model', 'inference'), { skip: noTests }) +
        folderBytes(join(ROOT, 'common', 'errors.ts')),
    },
    {
      what: `${runtime}, ${process.platform}-${process.arch} binaries only`,
      bytes: packageBytes('onnxruntime-node', ROOT, { skip: otherPlatforms }),
    },
  ];
  const runtimeShipped = parts[2]?.bytes ?? 0;
  const runtimeInstalled = packageBytes('onnxruntime-node', ROOT);
  let counts = `the model artifact folder, ReelSense's inference TypeScript and ${runtime} (${process.platform}-${process.arch} binaries only)`;
  if (spec.mode === 'http') {
    parts.push(
      {
        what: 'backend/ (endpoint server, handler, gateway; not infra/)',
        bytes: folderBytes(join(ROOT, 'backend'), { skip: (rel) => rel === 'infra' || noTests(rel) }),
      },
      {
        what: `@aws-sdk/client-sagemaker-runtime ${version('@aws-sdk/client-sagemaker-runtime')} with its dependencies`,
        bytes: packageBytes('@aws-sdk/client-sagemaker-runtime', ROOT),
      },
    );
    counts += ", plus backend/ (not infra/) and the AWS SDK's SageMaker Runtime client with its dependencies";
  }
  const bytes = parts.reduce((total, p) => total + p.bytes, 0);
  return { bytes, counts, parts, installedBytes: bytes - runtimeShipped + runtimeInstalled };
}

/**
 * `dir` zipped with `zip -r -9 -X` (as a store upload): the archive's bytes, and each file's bytes
 * and packed bytes as `unzip -v` lists them, the largest packed first. Needs the zip and unzip programs.
 */
export function zippedSize(dir: string): { zip: number; files: { name: string; size: number; packed: number }[] } {
  const zipPath = join(tmpdir(), `reelsense-zipped-${process.pid}-${Date.now()}.zip`);
  try {
    execFileSync('zip', ['-r', '-9', '-X', '-q', zipPath, '.'], { cwd: dir });
    // unzip -v: Length Method Size Cmpr Date Time CRC-32 Name
    const files = execFileSync('unzip', ['-v', zipPath], { encoding: 'utf8' })
      .split('\n')
      .map((line) => line.trim().split(/\s+/))
      .filter((cols) => cols.length >= 8 && /^\d+$/.test(cols[0] ?? '') && /^\d+$/.test(cols[2] ?? ''))
      .map((cols) => ({ name: cols.slice(7).join(' '), size: Number(cols[0]), packed: Number(cols[2]) }))
      .filter((row) => !row.name.endsWith('/'));
    return { zip: statSync(zipPath).size, files: files.sort((a, b) => b.packed - a.packed) };
  } finally {
    rmSync(zipPath, { force: true });
  }
}
