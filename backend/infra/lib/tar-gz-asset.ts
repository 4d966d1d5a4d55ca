/**
 * A gzipped tar of chosen files as one S3 file asset, packed on this machine at synth time with
 * the `tar` package (no Docker). SageMaker takes model data and training source code as
 * `.tar.gz` archives, while a plain directory asset would be uploaded as a zip.
 *
 * The S3 key is `<hash>.gz`: CDK keeps only a file's last extension in the key (aws-cdk#30257).
 * SageMaker reads the object as a gzipped tar whatever its key ends with; the CDK's own
 * `ModelData.fromAsset` (aws-sagemaker-alpha) deploys model data the same way.
 */
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Asset } from 'aws-cdk-lib/aws-s3-assets';
import { AssetHashType, BundlingOutput, DockerImage, Stack } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { create } from 'tar';

export interface TarGzAssetProps {
  /** The folder the files are taken from. */
  readonly directory: string;
  /** Files of `directory` (plain names, no sub-folders), each at the archive's root. */
  readonly files: readonly string[];
  /** Files written into the archive from text: name in the archive -> contents. */
  readonly generated?: Readonly<Record<string, string>>;
  /** Files from elsewhere: path in the archive (may name a sub-folder) -> path on disk. */
  readonly included?: Readonly<Record<string, string>>;
  /** The archive's file name, for people reading the cloud assembly. Default `archive.tar.gz`. */
  readonly fileName?: string;
}

/** Packs `files` (and `generated`) into one `.tar.gz` and stages it as an S3 asset. */
export class TarGzAsset extends Construct {
  readonly asset: Asset;
  /** `s3://bucket/key` of the archive once deployed. */
  readonly s3ObjectUrl: string;
  /** The IAM resource ARN of exactly this object. */
  readonly objectArn: string;

  constructor(scope: Construct, id: string, props: TarGzAssetProps) {
    super(scope, id);
    const fileName = props.fileName ?? 'archive.tar.gz';
    const generated = props.generated ?? {};
    const included = props.included ?? {};
    const { directory, files } = props;
    const names = [...files, ...Object.keys(generated), ...Object.keys(included)].sort();
    for (const path of [...files.map((name) => join(directory, name)), ...Object.values(included)]) {
      if (!existsSync(path)) throw new Error(`${id}: ${path} does not exist.`);
    }
    this.asset = new Asset(this, 'Asset', {
      path: directory,
      // The hash of exactly the packed contents: the folder itself is never walked (model/train holds a .venv).
      assetHashType: AssetHashType.CUSTOM,
      assetHash: contentHash(directory, files, generated, included),
      bundling: {
        // Never pulled: local bundling below always packs the archive or throws.
        image: DockerImage.fromRegistry('unused-local-bundling'),
        outputType: BundlingOutput.SINGLE_FILE,
        local: {
          tryBundle(outputDir: string): boolean {
            const staging = mkdtempSync(join(tmpdir(), 'reelsense-tar-'));
            try {
              for (const name of files) copyFileSync(join(directory, name), join(staging, name));
              for (const [name, text] of Object.entries(generated)) writeFileSync(join(staging, name), text);
              for (const [name, source] of Object.entries(included)) {
                mkdirSync(dirname(join(staging, name)), { recursive: true });
                copyFileSync(source, join(staging, name));
              }
              // portable + a fixed mtime: the same files always give the same bytes.
              create(
                { gzip: true, file: join(outputDir, fileName), cwd: staging, sync: true, portable: true, mtime: EPOCH },
                names,
              );
            } finally {
              rmSync(staging, { recursive: true, force: true });
            }
            return true;
          },
        },
      },
    });
    this.s3ObjectUrl = this.asset.s3ObjectUrl;
    this.objectArn = Stack.of(this).formatArn({
      service: 's3',
      region: '',
      account: '',
      resource: this.asset.s3BucketName,
      resourceName: this.asset.s3ObjectKey,
    });
  }
}

const EPOCH = new Date('2000-01-01T00:00:00Z');

function contentHash(
  directory: string,
  files: readonly string[],
  generated: Readonly<Record<string, string>>,
  included: Readonly<Record<string, string>>,
): string {
  const hash = createHash('sha256');
  for (const name of [...files].sort()) hash.update(`file ${name}\n`).update(readFileSync(join(directory, name)));
  for (const [name, text] of Object.entries(generated).sort(([a], [b]) => a.localeCompare(b))) {
    hash.update(`text ${name}\n`).update(text);
  }
  for (const [name, source] of Object.entries(included).sort(([a], [b]) => a.localeCompare(b))) {
    hash.update(`included ${name}\n`).update(readFileSync(source));
  }
  return hash.digest('hex');
}
