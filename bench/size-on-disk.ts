/**
 * What each system would ship, and its size on disk (bench/lib/disk.ts counts the bytes):
 * - a peer: its package folder in node_modules with all its dependencies;
 * - ReelSense in-process: the model artifact folder, its inference TypeScript (model/text,
 *   model/inference, common/errors.ts; tests left out) and onnxruntime-node with its dependencies,
 *   with only this platform's binaries (npm installs every platform's: that figure is given too);
 * - ReelSense over HTTP: the same, plus backend/ (endpoint server, Lambda handler, gateway; not
 *   the CDK app in backend/infra/) and @aws-sdk/client-sagemaker-runtime with its dependencies.
 */
import { join } from 'node:path';
import { folderBytes, packageBytes, packageClosure, readPackageJson, resolvePackageDir } from './lib/disk.ts';
import { ROOT } from './lib/processes.ts';
import type { SizeOnDisk } from './lib/results.ts';
import type { SystemSpec } from './systems.ts';

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

export function sizeOnDisk(spec: SystemSpec, artifactDir: string | undefined): SizeOnDisk {
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
        folderBytes(join(ROOT, 'model', 'errors.ts')),
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
