/**
 * npm run aws:train -- [options] [-- train.py options]
 *
 * Starts a SageMaker training job that runs model/train/train.py on the PyTorch training image,
 * waits for it with progress, and registers its model.tar.gz as the model the next
 * `npm run deploy` serves (the `modelDataUrl` context value in backend/infra/cdk.context.json).
 * The bucket, the role and the packed code come from the ReelSenseTraining stack's outputs
 * (`npm run deploy` first); the prepared data must be in the bucket (`aws s3 sync`, printed below).
 *
 *   npm run aws:train -- --dry-run                          # print the requests, send nothing
 *   npm run aws:train -- --instance-type ml.c5.2xlarge -- --epochs=8 --hidden=48
 */
import { pathToFileURL } from 'node:url';
import { CreateTrainingJobCommand, DescribeTrainingJobCommand, SageMakerClient } from '@aws-sdk/client-sagemaker';
import { parseFlags, runCli } from '../../../common/cli/run.ts';
import { ReelSenseError } from '../../../common/errors.ts';
import { STACK_NAMES } from '../lib/reelsense.ts';
import { CONTEXT_FILE, DEPLOY_OUTPUTS_FILE } from '../lib/paths.ts';
import { registerModel } from './register.ts';
import {
  formatRequest,
  integerFlag,
  pollStatus,
  readDeployOutputs,
  required,
  resolveRegion,
  sleep,
  type Print,
} from './cli.ts';
import {
  createTrainingJobRequest,
  describeTrainingJobRequest,
  pytorchTrainingImage,
  timestampedName,
  trainedModelUrl,
  NAME_PATTERN,
  type PlannedRequest,
  type TrainingJobSpec,
} from './requests.ts';

const FLAGS = [
  'region',
  'role',
  'source',
  'train',
  'test',
  'output',
  'instance-type',
  'volume-gb',
  'max-runtime-minutes',
  'framework-version',
  'python-version',
  'image',
  'job-name',
  'outputs-file',
  'context-file',
  'poll-seconds',
];
const BOOLEANS = ['dry-run', 'no-wait', 'no-register'];

/** ml.c5.xlarge: 4 vCPU, 8 GiB; the shipped configuration trains in about 8 minutes on 2 cores. */
export const DEFAULT_TRAINING_INSTANCE = 'ml.c5.xlarge';
/** The newest PyTorch training image this was written against; --framework-version picks another. */
export const DEFAULT_FRAMEWORK_VERSION = '2.6.0';
export const DEFAULT_PYTHON_VERSION = 'py312';

export interface TrainPlan {
  readonly spec: TrainingJobSpec;
  readonly requests: readonly PlannedRequest[];
  /** Where the trained model will be. */
  readonly modelUrl: string;
  readonly dryRun: boolean;
  readonly wait: boolean;
  readonly register: boolean;
  readonly contextFile: string;
  readonly pollMs: number;
}

/** The job to start, from the flags, the deploy outputs and train.py's options after `--`. */
export async function planTraining(argv: readonly string[], now: Date = new Date()): Promise<TrainPlan> {
  const split = argv.indexOf('--');
  const flags = parseFlags(split === -1 ? argv : argv.slice(0, split), FLAGS, BOOLEANS);
  const jobName = flags.get('job-name') ?? timestampedName('reelsense', now);
  if (!NAME_PATTERN.test(jobName)) {
    throw new ReelSenseError('BAD_OPTION', `--job-name "${jobName}": letters, digits and hyphens, 63 at most.`);
  }
  const outputs = readDeployOutputs(flags.get('outputs-file') ?? DEPLOY_OUTPUTS_FILE)[STACK_NAMES.training] ?? {};
  const region = await resolveRegion(flags.get('region'));
  const hyperparameters = { version: jobName, ...parseHyperparameters(split === -1 ? [] : argv.slice(split + 1)) };
  const spec: TrainingJobSpec = {
    jobName,
    region,
    roleArn: required(flags.get('role') ?? outputs.RoleArn, 'The training role (--role)'),
    image:
      flags.get('image') ??
      pytorchTrainingImage(
        region,
        flags.get('framework-version') ?? DEFAULT_FRAMEWORK_VERSION,
        flags.get('python-version') ?? DEFAULT_PYTHON_VERSION,
      ),
    sourceUrl: required(flags.get('source') ?? outputs.SourceUrl, 'The training code archive (--source)'),
    trainUrl: required(flags.get('train') ?? outputs.DataUrl, 'The prepared data (--train)'),
    ...(flags.has('test') ? { testUrl: flags.get('test') ?? '' } : {}),
    outputUrl: required(flags.get('output') ?? outputs.OutputUrl, 'The output location (--output)'),
    instanceType: flags.get('instance-type') ?? DEFAULT_TRAINING_INSTANCE,
    volumeSizeGb: integerFlag(flags, 'volume-gb', 10),
    maxRuntimeSeconds: 60 * integerFlag(flags, 'max-runtime-minutes', 60),
    hyperparameters,
  };
  return {
    spec,
    requests: [
      { command: 'CreateTrainingJob', input: createTrainingJobRequest(spec) },
      { command: 'DescribeTrainingJob', input: describeTrainingJobRequest(jobName) },
    ],
    modelUrl: trainedModelUrl(spec.outputUrl, jobName),
    dryRun: flags.has('dry-run'),
    wait: !flags.has('no-wait'),
    register: !flags.has('no-register'),
    contextFile: flags.get('context-file') ?? CONTEXT_FILE,
    pollMs: 1000 * integerFlag(flags, 'poll-seconds', 30),
  };
}

/** train.py's options: `--name=value`, `--name value`, or `--flag` alone (true). */
export function parseHyperparameters(argv: readonly string[]): Record<string, string> {
  const result: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    const match = /^--([a-z][a-z0-9_]*)(?:=(.*))?$/s.exec(arg);
    const name = match?.[1];
    if (name === undefined) {
      throw new ReelSenseError('BAD_OPTION', `"${arg}" is not a train.py option (--name=value) after "--".`);
    }
    if (name.startsWith('sagemaker_')) throw new ReelSenseError('BAD_OPTION', `--${name} is set by this script.`);
    const next = argv[i + 1];
    const value = match?.[2] ?? (next === undefined || next.startsWith('--') ? 'true' : (i++, next));
    if (value.length > 2500)
      throw new ReelSenseError('BAD_OPTION', `--${name}: SageMaker takes 2,500 characters at most.`);
    result[name] = value;
  }
  return result;
}

/** The script: plan, then print (--dry-run) or start, wait and register. */
export async function main(
  argv: readonly string[],
  print: Print = (text) => process.stdout.write(text),
  client?: Pick<SageMakerClient, 'send'>,
): Promise<void> {
  const plan = await planTraining(argv);
  if (plan.dryRun || client !== undefined) {
    await run(plan, print, client);
    return;
  }
  const own = new SageMakerClient({ region: plan.spec.region });
  try {
    await run(plan, print, own);
  } finally {
    own.destroy();
  }
}

async function run(plan: TrainPlan, print: Print, client: Pick<SageMakerClient, 'send'> | undefined): Promise<void> {
  const { spec } = plan;
  print(
    `Training job ${spec.jobName} on ${spec.instanceType} (${spec.region}), image ${spec.image}.\n` +
      `It reads the prepared data under ${spec.trainUrl}; upload it first if it is not there:\n` +
      `  npm run data:prepare && aws s3 sync model/prepared ${spec.trainUrl}\n\n`,
  );
  if (plan.dryRun) {
    for (const request of plan.requests) print(formatRequest(request));
    print(
      `\n(dry run: nothing sent. DescribeTrainingJob would repeat every ${plan.pollMs / 1000} s until the job ends;` +
        ` then ${plan.modelUrl} would be registered in ${plan.contextFile}.)\n`,
    );
    return;
  }
  if (client === undefined) throw new Error('A SageMaker client is needed to send requests.');
  await client.send(new CreateTrainingJobCommand(createTrainingJobRequest(spec)));
  print(
    `Started. Console: https://${spec.region}.console.aws.amazon.com/sagemaker/home?region=${spec.region}#/jobs/${spec.jobName}\n`,
  );
  if (!plan.wait) return;
  const modelUrl = await waitForJob(client, spec.jobName, plan.pollMs, print);
  if (!plan.register) {
    print(`The model: ${modelUrl}\n`);
    return;
  }
  registerModel(plan.contextFile, modelUrl);
  print(
    `Registered ${modelUrl} as modelDataUrl in ${plan.contextFile}.\n` +
      `npm run deploy now serves it; remove the key to go back to the shipped model.\n`,
  );
}

/** Polls DescribeTrainingJob, printing each change of status; resolves with the model's S3 URL. */
export async function waitForJob(
  client: Pick<SageMakerClient, 'send'>,
  jobName: string,
  pollMs: number,
  print: Print,
  wait: (ms: number) => Promise<void> = sleep,
): Promise<string> {
  return pollStatus({
    describe: () => client.send(new DescribeTrainingJobCommand(describeTrainingJobRequest(jobName))),
    line: (job) =>
      `${job.TrainingJobStatus ?? 'Unknown'} / ${job.SecondaryStatus ?? '-'}: ${job.SecondaryStatusTransitions?.at(-1)?.StatusMessage ?? ''}`,
    outcome: (job) => {
      const status = job.TrainingJobStatus ?? 'Unknown';
      if (status === 'Completed') {
        const url = job.ModelArtifacts?.S3ModelArtifacts;
        if (url === undefined)
          throw new ReelSenseError('NO_ARTIFACT', `${jobName} completed without a model artifact.`);
        print(`Billable time: ${job.BillableTimeInSeconds ?? '?'} s.\n`);
        return url;
      }
      if (status === 'Failed' || status === 'Stopped') {
        throw new ReelSenseError(
          'TRAINING_FAILED',
          `${jobName} ${status.toLowerCase()}: ${job.FailureReason ?? 'no reason given'}`,
        );
      }
      return undefined;
    },
    pollMs,
    print,
    wait,
  });
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  runCli(() => main(process.argv.slice(2)));
}
