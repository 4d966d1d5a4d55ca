/**
 * Every SageMaker request `npm run aws:train` sends, built by pure functions: it prints them on
 * `--dry-run` and sends them otherwise, and tests check them against the API's shapes. The
 * endpoint is changed through the CDK only (`npm run deploy`), never by requests from here.
 */
import type {
  CreateTrainingJobCommandInput,
  DescribeTrainingJobCommandInput,
  TrainingInstanceType,
} from '@aws-sdk/client-sagemaker';

/** A request as the scripts print it: the SDK command's name and its input. */
export interface PlannedRequest {
  readonly command: string;
  readonly input: object;
}

/** SageMaker's pattern for job names. */
export const NAME_PATTERN = /^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$/;
const TAGS = [{ Key: 'project', Value: 'reelsense' }];

/** `<prefix>-YYYYMMDD-HHMMSS` (UTC), cut to SageMaker's 63 characters. */
export function timestampedName(prefix: string, now: Date): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  const name = `${prefix.slice(0, 63 - stamp.length - 1).replace(/-+$/, '')}-${stamp}`;
  if (!NAME_PATTERN.test(name)) throw new Error(`"${name}" is not a valid SageMaker name.`);
  return name;
}

// ---- Training -------------------------------------------------------------------------------

/** AWS Deep Learning Containers' registry for a region (a few opt-in regions have their own account). */
const DLC_ACCOUNTS: Readonly<Record<string, string>> = {
  'af-south-1': '626614931356',
  'ap-east-1': '871362719292',
  'eu-south-1': '692866216735',
  'me-south-1': '217643126080',
  'cn-north-1': '727897471807',
  'cn-northwest-1': '727897471807',
};
export const DEFAULT_DLC_ACCOUNT = '763104351884';

/** The official PyTorch training image (CPU) for a region, e.g. `...ecr.us-east-1.amazonaws.com/pytorch-training:2.6.0-cpu-py312`. */
export function pytorchTrainingImage(region: string, frameworkVersion: string, pythonVersion: string): string {
  const account = DLC_ACCOUNTS[region] ?? DEFAULT_DLC_ACCOUNT;
  const domain = region.startsWith('cn-') ? 'amazonaws.com.cn' : 'amazonaws.com';
  return `${account}.dkr.ecr.${region}.${domain}/pytorch-training:${frameworkVersion}-cpu-${pythonVersion}`;
}

export interface TrainingJobSpec {
  readonly jobName: string;
  readonly region: string;
  readonly roleArn: string;
  /** The training image URI. */
  readonly image: string;
  /** `s3://.../sourcedir.tar.gz`: model/train packed by the training stack. */
  readonly sourceUrl: string;
  /** S3 prefixes of prepared folders (`npm run data:prepare`); `test` is optional (train.py reads the test split from train's). */
  readonly trainUrl: string;
  readonly testUrl?: string;
  /** Where SageMaker writes `<job>/output/model.tar.gz`. */
  readonly outputUrl: string;
  readonly instanceType: string;
  readonly volumeSizeGb: number;
  readonly maxRuntimeSeconds: number;
  /** train.py's options, name -> value, as `--name value` reaches it. */
  readonly hyperparameters: Readonly<Record<string, string>>;
}

/**
 * CreateTrainingJob for model/train on the PyTorch image. SageMaker's training toolkit in that image
 * downloads `sagemaker_submit_directory`, pip-installs its requirements.txt and runs
 * `sagemaker_program` with each hyperparameter as `--name value`. Values are JSON strings, as the
 * SageMaker Python SDK sends them, so `true` stays the text `true` for train.py.
 */
export function createTrainingJobRequest(spec: TrainingJobSpec): CreateTrainingJobCommandInput {
  const json = (value: string): string => JSON.stringify(value);
  const user = Object.fromEntries(Object.entries(spec.hyperparameters).map(([name, value]) => [name, json(value)]));
  const channel = (name: string, url: string) => ({
    ChannelName: name,
    DataSource: {
      S3DataSource: { S3DataType: 'S3Prefix' as const, S3Uri: url, S3DataDistributionType: 'FullyReplicated' as const },
    },
    InputMode: 'File' as const,
  });
  return {
    TrainingJobName: spec.jobName,
    RoleArn: spec.roleArn,
    AlgorithmSpecification: {
      TrainingImage: spec.image,
      TrainingInputMode: 'File',
      // train.py's progress lines, as CloudWatch metrics of the job.
      MetricDefinitions: [
        { Name: 'validation:accuracy', Regex: 'validation accuracy ([0-9.]+)' },
        { Name: 'test:accuracy', Regex: 'test: accuracy ([0-9.]+)' },
      ],
    },
    HyperParameters: {
      ...user,
      sagemaker_program: json('train.py'),
      sagemaker_submit_directory: json(spec.sourceUrl),
      sagemaker_region: json(spec.region),
      sagemaker_job_name: json(spec.jobName),
      sagemaker_container_log_level: '20',
    },
    InputDataConfig: [
      channel('train', spec.trainUrl),
      ...(spec.testUrl === undefined ? [] : [channel('test', spec.testUrl)]),
    ],
    OutputDataConfig: { S3OutputPath: spec.outputUrl },
    ResourceConfig: {
      InstanceType: spec.instanceType as TrainingInstanceType,
      InstanceCount: 1,
      VolumeSizeInGB: spec.volumeSizeGb,
    },
    StoppingCondition: { MaxRuntimeInSeconds: spec.maxRuntimeSeconds },
    Tags: TAGS,
  };
}

export function describeTrainingJobRequest(jobName: string): DescribeTrainingJobCommandInput {
  return { TrainingJobName: jobName };
}

/** Where SageMaker puts the job's model: `<S3OutputPath>/<job>/output/model.tar.gz`. */
export function trainedModelUrl(outputUrl: string, jobName: string): string {
  return `${outputUrl.replace(/\/+$/, '')}/${jobName}/output/model.tar.gz`;
}
