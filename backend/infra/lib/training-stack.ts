/**
 * What a SageMaker training job of model/train needs, and nothing that costs by the hour: a bucket
 * for the prepared data (`prepared/`) and the trained models (`models/`), the training code as a
 * `.tar.gz` (SageMaker's `sagemaker_submit_directory`, with the pretrained encoder in `encoder/`),
 * and the job's execution role. The job
 * itself is started by `npm run aws:train` (backend/infra/scripts/train.ts).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ArnFormat, CfnOutput, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { NagSuppressions } from 'cdk-nag';
import type { Construct } from 'constructs';
import { TarGzAsset } from './tar-gz-asset.ts';

export interface TrainingStackProps extends StackProps {
  /** model/train: every top-level `*.py` goes into the source archive. */
  readonly sourceDir: string;
  /** model/artifacts/encoder: the pretrained encoder, packed as `encoder/` beside train.py, where it looks under SageMaker. */
  readonly encoderDir: string;
  /**
   * The AWS Deep Learning Containers' account, whose `pytorch-training` images the job runs.
   * Default 763104351884, which serves most regions (a few opt-in regions use another account).
   */
  readonly imageAccount?: string;
}

/** Key prefixes in the bucket: the prepared data the job reads, the models it writes. */
export const DATA_PREFIX = 'prepared/';
export const MODELS_PREFIX = 'models/';
/** Packages the PyTorch training image already has (a pinned torch would download a CUDA build). */
const PROVIDED_BY_IMAGE = new Set(['torch', 'numpy', 'pytest']);

export class TrainingStack extends Stack {
  readonly bucket: s3.Bucket;
  readonly role: iam.Role;
  readonly source: TarGzAsset;

  constructor(scope: Construct, id: string, props: TrainingStackProps) {
    super(scope, id, props);
    this.bucket = new s3.Bucket(this, 'Bucket', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      encryption: s3.BucketEncryption.S3_MANAGED,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      // Data and trained models outlive `npm run destroy`; the README says how to delete them.
      removalPolicy: RemovalPolicy.RETAIN,
    });
    NagSuppressions.addResourceSuppressions(this.bucket, [
      {
        id: 'AwsSolutions-S1',
        reason:
          'Holds the prepared public IMDB data and the models trained from it, nothing private. Only the ' +
          "training role and the operator's credentials write to it; server access logs would need a second " +
          'bucket, kept on destroy, that nobody reads. CloudTrail S3 data events are the audit trail if one is needed.',
      },
    ]);
    this.source = new TarGzAsset(this, 'Source', {
      directory: props.sourceDir,
      files: readdirSync(props.sourceDir).filter((name) => name.endsWith('.py')),
      generated: { 'requirements.txt': imageRequirements(join(props.sourceDir, 'requirements.txt')) },
      included: Object.fromEntries(
        ['encoder.pt', 'card.json'].map((name) => [`encoder/${name}`, join(props.encoderDir, name)]),
      ),
      fileName: 'sourcedir.tar.gz',
    });
    this.role = this.createRole(props.imageAccount ?? '763104351884');

    new CfnOutput(this, 'BucketName', { value: this.bucket.bucketName, description: 'Training data and models' });
    new CfnOutput(this, 'DataUrl', {
      value: this.bucket.s3UrlForObject(DATA_PREFIX),
      description: 'Upload the prepared data here: aws s3 sync model/prepared <DataUrl>',
    });
    new CfnOutput(this, 'OutputUrl', { value: this.bucket.s3UrlForObject(MODELS_PREFIX) });
    new CfnOutput(this, 'SourceUrl', { value: this.source.s3ObjectUrl, description: 'model/train as a .tar.gz' });
    new CfnOutput(this, 'RoleArn', { value: this.role.roleArn, description: 'The training jobs execution role' });
  }

  private createRole(imageAccount: string): iam.Role {
    const role = new iam.Role(this, 'TrainingRole', {
      assumedBy: new iam.ServicePrincipal('sagemaker.amazonaws.com'),
      description: 'ReelSense training jobs: read data and code, write models, pull the PyTorch image.',
    });
    role.addToPolicy(
      new iam.PolicyStatement({
        actions: ['s3:ListBucket'],
        resources: [this.bucket.bucketArn],
        conditions: { StringLike: { 's3:prefix': [`${DATA_PREFIX}*`, `${MODELS_PREFIX}*`] } },
      }),
    );
    role.addToPolicy(
      new iam.PolicyStatement({
        actions: ['s3:GetObject'],
        resources: [this.bucket.arnForObjects(`${DATA_PREFIX}*`), this.source.objectArn],
      }),
    );
    role.addToPolicy(
      new iam.PolicyStatement({
        actions: ['s3:GetObject', 's3:PutObject'],
        resources: [this.bucket.arnForObjects(`${MODELS_PREFIX}*`)],
      }),
    );
    role.addToPolicy(
      new iam.PolicyStatement({
        actions: ['ecr:BatchCheckLayerAvailability', 'ecr:GetDownloadUrlForLayer', 'ecr:BatchGetImage'],
        resources: [
          this.formatArn({
            service: 'ecr',
            account: imageAccount,
            resource: 'repository',
            resourceName: 'pytorch-training',
          }),
        ],
      }),
    );
    // Neither has a resource to scope to; the metrics condition keeps PutMetricData to the jobs' namespace.
    role.addToPolicy(new iam.PolicyStatement({ actions: ['ecr:GetAuthorizationToken'], resources: ['*'] }));
    role.addToPolicy(
      new iam.PolicyStatement({
        actions: ['cloudwatch:PutMetricData'],
        resources: ['*'],
        conditions: { StringEquals: { 'cloudwatch:namespace': '/aws/sagemaker/TrainingJobs' } },
      }),
    );
    role.addToPolicy(
      new iam.PolicyStatement({
        actions: ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams'],
        resources: [
          this.formatArn({
            service: 'logs',
            resource: 'log-group',
            resourceName: '/aws/sagemaker/TrainingJobs:*',
            arnFormat: ArnFormat.COLON_RESOURCE_NAME,
          }),
        ],
      }),
    );
    const logGroupArn = `arn:<AWS::Partition>:logs:<AWS::Region>:<AWS::AccountId>:log-group:/aws/sagemaker/TrainingJobs:*`;
    const bucketArn = `<${this.getLogicalId(this.bucket.node.defaultChild as s3.CfnBucket)}.Arn>`;
    NagSuppressions.addResourceSuppressions(
      role,
      [
        {
          id: 'AwsSolutions-IAM5',
          reason:
            'Object prefixes, not the bucket: a job reads the prepared data under prepared/ and writes its model ' +
            'under models/<job name>/, a name chosen when `npm run aws:train` starts it.',
          appliesTo: [`Resource::${bucketArn}/${DATA_PREFIX}*`, `Resource::${bucketArn}/${MODELS_PREFIX}*`],
        },
        {
          id: 'AwsSolutions-IAM5',
          reason:
            "SageMaker's one log group for training jobs; each job writes its own streams (<job>/algo-1-...) in it.",
          appliesTo: [`Resource::${logGroupArn}`],
        },
        {
          id: 'AwsSolutions-IAM5',
          reason:
            'Two actions that IAM cannot scope to a resource: ecr:GetAuthorizationToken (an account-level ' +
            'call; the pulls are limited to the pytorch-training repository) and cloudwatch:PutMetricData ' +
            '(limited to the /aws/sagemaker/TrainingJobs namespace by a condition).',
          appliesTo: ['Resource::*'],
        },
      ],
      true,
    );
    return role;
  }
}

/**
 * model/train/requirements.txt without what the PyTorch image provides: SageMaker's training
 * toolkit pip-installs the requirements.txt it finds in the source archive before train.py runs.
 */
export function imageRequirements(path: string): string {
  const kept = readFileSync(path, 'utf8')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'))
    .filter((line) => !PROVIDED_BY_IMAGE.has(line.split(/[=<>!~[; ]/)[0]?.toLowerCase() ?? ''));
  return `# Generated from model/train/requirements.txt for the SageMaker PyTorch image (torch, numpy: the image's).\n${kept.join('\n')}\n`;
}
