/**
 * The model: the endpoint server image (backend/Dockerfile) and the model artifact, a SageMaker
 * Model, EndpointConfig and Endpoint, and Application Auto Scaling on the variant's invocations per
 * instance. `serverless` switches the endpoint to SageMaker Serverless Inference (pay per request).
 */
import { readFileSync } from 'node:fs';
import { CfnOutput, Duration, IgnoreMode, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import * as appscaling from 'aws-cdk-lib/aws-applicationautoscaling';
import { DockerImageAsset, Platform } from 'aws-cdk-lib/aws-ecr-assets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sagemaker from 'aws-cdk-lib/aws-sagemaker';
import { NagSuppressions } from 'cdk-nag';
import type { Construct } from 'constructs';
import { DOCKERFILE, DOCKERIGNORE, REPO_ROOT } from './paths.ts';
import { TarGzAsset } from './tar-gz-asset.ts';

/** Where the model data comes from: an artifact folder packed at synth, or a model.tar.gz already in S3. */
export type ModelArtifact =
  { readonly kind: 'local'; readonly directory: string } | { readonly kind: 's3'; readonly url: string };

/** SageMaker Serverless Inference: billed per request and compute time, scales to zero, cold starts. */
export interface ServerlessOptions {
  /** 1024 to 6144 in steps of 1024. Default 2048. */
  readonly memorySizeInMb?: number;
  /** Concurrent invocations, 1 to 200. Default 5. */
  readonly maxConcurrency?: number;
}

export interface ModelStackProps extends StackProps {
  readonly artifact: ModelArtifact;
  /** Default `reelsense`. The API's Lambda invokes it by this name. */
  readonly endpointName?: string;
  /** Default `AllTraffic`, the name SageMaker's own tools use for a single variant. */
  readonly variantName?: string;
  /** Default `ml.c5.large` (2 vCPU, 4 GiB): the model needs about 100 MB and no GPU. */
  readonly instanceType?: string;
  /** Instances at creation. Default 1. */
  readonly instanceCount?: number;
  /** Auto scaling floor and ceiling. Default 1 and 4. */
  readonly minCapacity?: number;
  readonly maxCapacity?: number;
  /** Target of SageMakerVariantInvocationsPerInstance (per minute). Default 3000 (50 requests/s). */
  readonly targetInvocationsPerInstance?: number;
  /** Set to use Serverless Inference instead of instances (no auto scaling: SageMaker scales it). */
  readonly serverless?: ServerlessOptions;
}

const MODEL_FILES = ['model.onnx', 'vocab.json', 'card.json'];
/** SageMaker's pattern for endpoint and variant names. */
const NAME = /^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$/;
const DEFAULTS = {
  endpointName: 'reelsense',
  variantName: 'AllTraffic',
  instanceType: 'ml.c5.large',
  instanceCount: 1,
  minCapacity: 1,
  maxCapacity: 4,
  targetInvocationsPerInstance: 3000,
  memorySizeInMb: 2048,
  maxConcurrency: 5,
} as const;

export class ModelStack extends Stack {
  readonly endpointName: string;
  /** The endpoint's ARN, as SageMaker authorizes InvokeEndpoint against it. */
  readonly endpointArn: string;
  readonly role: iam.Role;
  readonly image: DockerImageAsset;
  /** The packed artifact, when the model data is a local folder (not a URL). */
  readonly modelData: TarGzAsset | undefined;

  constructor(scope: Construct, id: string, props: ModelStackProps) {
    super(scope, id, props);
    // Every setting is checked before anything is built: a mistake fails at once, with its name.
    const settings = resolveSettings(props);
    const { endpointName, variantName } = settings;
    if (props.artifact.kind === 's3') parseS3Url(props.artifact.url);

    this.role = new iam.Role(this, 'ExecutionRole', {
      assumedBy: new iam.ServicePrincipal('sagemaker.amazonaws.com'),
      description: 'ReelSense endpoint: reads its model data, pulls its image, writes its logs.',
    });
    const image = this.imageAsset();
    this.image = image;
    image.repository.grantPull(this.role);
    const { url: modelDataUrl, packed } = this.modelDataOf(props.artifact);
    this.modelData = packed;
    const logGroup = this.endpointLogs(endpointName);

    const model = new sagemaker.CfnModel(this, 'Model', {
      executionRoleArn: this.role.roleArn,
      primaryContainer: { image: image.imageUri, modelDataUrl },
      // The container needs no network: SageMaker downloads the model data for it. Serverless
      // Inference does not support network isolation.
      enableNetworkIsolation: settings.serverless === undefined,
    });
    // SageMaker checks the image and model data at CreateModel: the role's policy must exist first.
    model.node.addDependency(this.role);

    const config = new sagemaker.CfnEndpointConfig(this, 'EndpointConfig', {
      productionVariants: [variantOf(settings, model.attrModelName)],
    });
    const endpoint = new sagemaker.CfnEndpoint(this, 'Endpoint', {
      endpointName,
      endpointConfigName: config.attrEndpointConfigName,
    });
    // Deleted after the endpoint, so the endpoint's last lines do not recreate it.
    endpoint.node.addDependency(logGroup);
    this.endpointName = endpoint.attrEndpointName;
    this.endpointArn = endpoint.attrEndpointArn;
    if (settings.serverless === undefined) this.autoScaling(settings, endpoint.attrEndpointName, variantName);

    new CfnOutput(this, 'EndpointName', { value: endpoint.attrEndpointName, description: 'The SageMaker endpoint' });
    new CfnOutput(this, 'ModelName', { value: model.attrModelName, description: 'The SageMaker model it serves' });
    new CfnOutput(this, 'ModelDataUrl', { value: modelDataUrl, description: 'The model.tar.gz it serves' });
  }

  /**
   * The endpoint server image, built by `cdk deploy` from the repository root with backend/Dockerfile.
   * Synth only stages the build context (no Docker needed); the exclusions are the Dockerfile's own
   * ignore file, so node_modules, .venv and the like are never copied.
   */
  private imageAsset(): DockerImageAsset {
    return new DockerImageAsset(this, 'Image', {
      directory: REPO_ROOT,
      file: DOCKERFILE,
      // Also left out: what the image never uses, so editing it does not rebuild and redeploy the image.
      exclude: [...dockerignorePatterns(), 'backend/infra', '**/*.md'],
      ignoreMode: IgnoreMode.DOCKER,
      // SageMaker's ml.c5/ml.m5 instances are x86-64; a build on an ARM laptop must not change that.
      platform: Platform.LINUX_AMD64,
    });
  }

  /** The model data URL, with read access to exactly that object for the role. */
  private modelDataOf(artifact: ModelArtifact): { url: string; packed?: TarGzAsset } {
    if (artifact.kind === 'local') {
      const packed = new TarGzAsset(this, 'ModelData', {
        directory: artifact.directory,
        files: MODEL_FILES,
        fileName: 'model.tar.gz',
      });
      this.role.addToPolicy(new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: [packed.objectArn] }));
      return { url: packed.s3ObjectUrl, packed };
    }
    const { bucket, key } = parseS3Url(artifact.url);
    this.role.addToPolicy(
      new iam.PolicyStatement({
        actions: ['s3:GetObject'],
        resources: [this.formatArn({ service: 's3', region: '', account: '', resource: bucket, resourceName: key })],
      }),
    );
    return { url: artifact.url };
  }

  /**
   * The log group SageMaker writes the endpoint's container output to, made here so that it has a
   * retention and goes with `npm run destroy`; the role may write to it and to nothing else.
   */
  private endpointLogs(endpointName: string): logs.LogGroup {
    const logGroup = new logs.LogGroup(this, 'EndpointLogs', {
      logGroupName: `/aws/sagemaker/Endpoints/${endpointName}`,
      retention: logs.RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.role.addToPolicy(
      new iam.PolicyStatement({
        actions: ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams'],
        resources: [logGroup.logGroupArn],
      }),
    );
    // PutMetricData has no resource to scope to; the condition keeps it to the endpoints' namespace.
    this.role.addToPolicy(
      new iam.PolicyStatement({
        actions: ['cloudwatch:PutMetricData'],
        resources: ['*'],
        conditions: { StringEquals: { 'cloudwatch:namespace': '/aws/sagemaker/Endpoints' } },
      }),
    );
    NagSuppressions.addResourceSuppressions(
      this.role,
      [
        {
          id: 'AwsSolutions-IAM5',
          reason:
            'Two actions that IAM cannot scope to a resource: ecr:GetAuthorizationToken (an account-level ' +
            'call; the image pulls themselves are limited to the CDK asset repository) and ' +
            'cloudwatch:PutMetricData (limited to the /aws/sagemaker/Endpoints namespace by a condition).',
          appliesTo: ['Resource::*'],
        },
      ],
      true,
    );
    return logGroup;
  }

  /** Target tracking on invocations per instance, between minCapacity and maxCapacity instances. */
  private autoScaling(settings: Settings, endpointName: string, variantName: string): void {
    const { minCapacity, maxCapacity, targetInvocationsPerInstance: targetValue } = settings;
    const target = new appscaling.ScalableTarget(this, 'ScalableTarget', {
      serviceNamespace: appscaling.ServiceNamespace.SAGEMAKER,
      // SageMaker's service-linked role (Application Auto Scaling creates it on first use), not a
      // new role without permissions, which is what ScalableTarget would make otherwise.
      role: iam.Role.fromRoleArn(
        this,
        'AutoScalingRole',
        this.formatArn({
          service: 'iam',
          region: '',
          resource: 'role',
          resourceName:
            'aws-service-role/sagemaker.application-autoscaling.amazonaws.com/AWSServiceRoleForApplicationAutoScaling_SageMakerEndpoint',
        }),
      ),
      resourceId: `endpoint/${endpointName}/variant/${variantName}`,
      scalableDimension: 'sagemaker:variant:DesiredInstanceCount',
      minCapacity,
      maxCapacity,
    });
    target.scaleToTrackMetric('InvocationsPerInstance', {
      predefinedMetric: appscaling.PredefinedMetric.SAGEMAKER_VARIANT_INVOCATIONS_PER_INSTANCE,
      targetValue,
      // Add capacity quickly; give it back slowly, as a new instance takes minutes to start.
      scaleOutCooldown: Duration.minutes(1),
      scaleInCooldown: Duration.minutes(5),
    });
  }
}

type Settings = Required<Omit<ModelStackProps, keyof StackProps | 'artifact' | 'serverless'>> & {
  readonly serverless: Required<ServerlessOptions> | undefined;
};

/** The props with their defaults, each checked against what SageMaker and auto scaling accept. */
function resolveSettings(props: ModelStackProps): Settings {
  const settings: Settings = {
    endpointName: props.endpointName ?? DEFAULTS.endpointName,
    variantName: props.variantName ?? DEFAULTS.variantName,
    instanceType: props.instanceType ?? DEFAULTS.instanceType,
    instanceCount: props.instanceCount ?? DEFAULTS.instanceCount,
    minCapacity: props.minCapacity ?? DEFAULTS.minCapacity,
    maxCapacity: props.maxCapacity ?? DEFAULTS.maxCapacity,
    targetInvocationsPerInstance: props.targetInvocationsPerInstance ?? DEFAULTS.targetInvocationsPerInstance,
    serverless:
      props.serverless === undefined
        ? undefined
        : {
            memorySizeInMb: props.serverless.memorySizeInMb ?? DEFAULTS.memorySizeInMb,
            maxConcurrency: props.serverless.maxConcurrency ?? DEFAULTS.maxConcurrency,
          },
  };
  const { endpointName, variantName, instanceType, instanceCount, minCapacity, maxCapacity, serverless } = settings;
  check(NAME.test(endpointName), `endpointName "${endpointName}" is not a valid SageMaker name.`);
  check(NAME.test(variantName), `variantName "${variantName}" is not a valid SageMaker name.`);
  if (serverless !== undefined) {
    const { memorySizeInMb, maxConcurrency } = serverless;
    check(
      Number.isInteger(memorySizeInMb / 1024) && memorySizeInMb >= 1024 && memorySizeInMb <= 6144,
      `serverless memorySizeInMb must be 1024, 2048, ... or 6144, not ${memorySizeInMb}.`,
    );
    check(isCount(maxConcurrency, 200), `serverless maxConcurrency must be 1 to 200, not ${maxConcurrency}.`);
    return settings;
  }
  check(/^ml\.[a-z0-9]+\.[a-z0-9]+$/.test(instanceType), `instanceType "${instanceType}" is not an ml.* type.`);
  check(isCount(instanceCount), `instanceCount must be a positive integer, not ${instanceCount}.`);
  check(
    isCount(minCapacity) && isCount(maxCapacity) && minCapacity <= instanceCount && instanceCount <= maxCapacity,
    `Auto scaling needs 1 <= minCapacity (${minCapacity}) <= instanceCount (${instanceCount}) <= maxCapacity (${maxCapacity}).`,
  );
  check(
    settings.targetInvocationsPerInstance > 0,
    `targetInvocationsPerInstance must be positive, not ${settings.targetInvocationsPerInstance}.`,
  );
  return settings;
}

function variantOf(settings: Settings, modelName: string): sagemaker.CfnEndpointConfig.ProductionVariantProperty {
  const { variantName, serverless } = settings;
  if (serverless !== undefined) return { variantName, modelName, serverlessConfig: serverless };
  return {
    variantName,
    modelName,
    instanceType: settings.instanceType,
    initialInstanceCount: settings.instanceCount,
    initialVariantWeight: 1,
  };
}

/** backend/Dockerfile.dockerignore as CDK exclusions: one source for the build context's contents. */
export function dockerignorePatterns(): string[] {
  return readFileSync(DOCKERIGNORE, 'utf8')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
}

export function parseS3Url(url: string): { bucket: string; key: string } {
  const match = /^s3:\/\/([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])\/(.+)$/.exec(url);
  if (match?.[1] === undefined || match[2] === undefined) {
    throw new Error(`"${url}" is not an S3 object URL such as s3://bucket/path/model.tar.gz.`);
  }
  return { bucket: match[1], key: match[2] };
}

function isCount(value: number, max = Number.MAX_SAFE_INTEGER): boolean {
  return Number.isInteger(value) && value >= 1 && value <= max;
}

function check(condition: boolean, message: string): asserts condition {
  if (!condition) throw new Error(`ModelStack: ${message}`);
}
