/**
 * The SageMaker training script: its --dry-run prints every request and sends nothing, and each request
 * has the shape the SageMaker API reference gives (required members, name patterns, limits). The
 * waiting loops and the registration of a trained model run against a scripted client.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CreateTrainingJobCommandInput } from '@aws-sdk/client-sagemaker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDryRun } from '../../../backend/infra/scripts/cli.ts';
import { pytorchTrainingImage, timestampedName } from '../../../backend/infra/scripts/requests.ts';
import { main as trainMain, parseHyperparameters, waitForJob } from '../../../backend/infra/scripts/train.ts';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
// SageMaker API reference patterns.
const NAME = /^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$/;
const ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/?[a-zA-Z_0-9+=,.@\-_/]+$/;
const S3_URI = /^(https|s3):\/\/([^/]+)\/?(.*)$/;
const IMAGE = /^[0-9]{12}\.dkr\.ecr\.[a-z0-9-]+\.amazonaws\.com(\.cn)?\/[a-z0-9._/-]+:[A-Za-z0-9._-]+$/;

let work: string;
let outputsFile: string;
const ROLE = 'arn:aws:iam::123456789012:role/ReelSenseTraining-TrainingRole1234-ABCD';

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'reelsense-scripts-'));
  outputsFile = join(work, 'cdk-outputs.json');
  // What `cdk deploy --outputs-file` writes for the stack aws:train reads.
  writeFileSync(
    outputsFile,
    JSON.stringify({
      ReelSenseTraining: {
        BucketName: 'reelsensetraining-bucket-1a2b3c',
        DataUrl: 's3://reelsensetraining-bucket-1a2b3c/prepared/',
        OutputUrl: 's3://reelsensetraining-bucket-1a2b3c/models/',
        SourceUrl: 's3://cdk-hnb659fds-assets-123456789012-eu-west-1/0123abcd.gz',
        RoleArn: ROLE,
      },
    }),
  );
});

afterAll(() => {
  rmSync(work, { recursive: true, force: true });
});

/** Runs a script's main with --dry-run; no client is given, so sending anything would throw. */
async function dryRun(
  main: typeof trainMain,
  argv: string[],
): Promise<{ text: string; requests: ReturnType<typeof parseDryRun> }> {
  let text = '';
  const split = argv.includes('--') ? argv.indexOf('--') : argv.length;
  const flags = ['--dry-run', '--region', 'eu-west-1', '--outputs-file', outputsFile];
  await main([...argv.slice(0, split), ...flags, ...argv.slice(split)], (chunk) => {
    text += chunk;
  });
  return { text, requests: parseDryRun(text) };
}

describe('npm run aws:train -- --dry-run', () => {
  let request: CreateTrainingJobCommandInput;
  let text: string;

  beforeAll(async () => {
    const run = await dryRun(trainMain, [
      '--job-name',
      'reelsense-test-1',
      '--',
      '--epochs=3',
      '--cell',
      'lstm',
      '--resume',
    ]);
    text = run.text;
    expect(run.requests.map((r) => r.command)).toEqual(['CreateTrainingJob', 'DescribeTrainingJob']);
    request = run.requests[0]?.input as CreateTrainingJobCommandInput;
    expect(run.requests[1]?.input).toEqual({ TrainingJobName: 'reelsense-test-1' });
  });

  it('names the job and its role as the API requires', () => {
    expect(request.TrainingJobName).toMatch(NAME);
    expect(request.TrainingJobName).toBe('reelsense-test-1');
    expect(request.RoleArn).toMatch(ROLE_ARN);
    expect(request.RoleArn).toBe(ROLE);
  });

  it('runs the region PyTorch training image (CPU) in File mode', () => {
    expect(request.AlgorithmSpecification?.TrainingInputMode).toBe('File');
    expect(request.AlgorithmSpecification?.TrainingImage).toMatch(IMAGE);
    expect(request.AlgorithmSpecification?.TrainingImage).toBe(
      '763104351884.dkr.ecr.eu-west-1.amazonaws.com/pytorch-training:2.6.0-cpu-py312',
    );
    for (const metric of request.AlgorithmSpecification?.MetricDefinitions ?? []) {
      expect(metric.Name?.length).toBeLessThanOrEqual(255);
      expect(metric.Regex?.length).toBeLessThanOrEqual(500);
      expect(() => new RegExp(metric.Regex ?? '')).not.toThrow();
    }
  });

  it('passes train.py options through as hyperparameters, next to the toolkit ones', () => {
    const hp = request.HyperParameters ?? {};
    expect(hp).toMatchObject({
      epochs: '"3"',
      cell: '"lstm"',
      resume: '"true"',
      version: '"reelsense-test-1"',
      sagemaker_program: '"train.py"',
      sagemaker_submit_directory: '"s3://cdk-hnb659fds-assets-123456789012-eu-west-1/0123abcd.gz"',
      sagemaker_region: '"eu-west-1"',
    });
    expect(Object.keys(hp).length).toBeLessThanOrEqual(100);
    for (const [key, value] of Object.entries(hp)) {
      expect(typeof value).toBe('string');
      expect(key.length).toBeLessThanOrEqual(256);
      expect(value.length).toBeLessThanOrEqual(2500);
      // The toolkit json-decodes each value: every one must decode, and user values to strings.
      expect(() => JSON.parse(value) as unknown).not.toThrow();
    }
  });

  it('reads the prepared data from S3 as the train channel and writes under the output path', () => {
    expect(request.InputDataConfig).toEqual([
      {
        ChannelName: 'train',
        DataSource: {
          S3DataSource: {
            S3DataType: 'S3Prefix',
            S3Uri: 's3://reelsensetraining-bucket-1a2b3c/prepared/',
            S3DataDistributionType: 'FullyReplicated',
          },
        },
        InputMode: 'File',
      },
    ]);
    for (const channel of request.InputDataConfig ?? []) {
      expect(channel.ChannelName).toMatch(/^[A-Za-z0-9.\-_]+$/);
      expect(channel.DataSource?.S3DataSource?.S3Uri).toMatch(S3_URI);
    }
    expect(request.OutputDataConfig?.S3OutputPath).toMatch(S3_URI);
  });

  it('sets the instance, volume and a stopping condition within the API limits', () => {
    expect(request.ResourceConfig).toEqual({ InstanceType: 'ml.c5.xlarge', InstanceCount: 1, VolumeSizeInGB: 10 });
    expect(request.StoppingCondition?.MaxRuntimeInSeconds).toBe(3600);
    expect(request.StoppingCondition?.MaxRuntimeInSeconds).toBeGreaterThanOrEqual(1);
  });

  it('says what it would register and how to upload the data, and sends nothing', () => {
    expect(text).toContain('aws s3 sync model/prepared s3://reelsensetraining-bucket-1a2b3c/prepared/');
    expect(text).toContain('s3://reelsensetraining-bucket-1a2b3c/models/reelsense-test-1/output/model.tar.gz');
    expect(text).toContain('dry run: nothing sent');
  });

  it('takes the options: instance, runtime, image version, test channel', async () => {
    const { requests } = await dryRun(trainMain, [
      '--instance-type',
      'ml.m5.2xlarge',
      '--max-runtime-minutes',
      '90',
      '--volume-gb',
      '30',
      '--framework-version',
      '2.5.1',
      '--python-version',
      'py311',
      '--test',
      's3://other/prepared-test/',
    ]);
    const input = requests[0]?.input as CreateTrainingJobCommandInput;
    expect(input.ResourceConfig).toEqual({ InstanceType: 'ml.m5.2xlarge', InstanceCount: 1, VolumeSizeInGB: 30 });
    expect(input.StoppingCondition?.MaxRuntimeInSeconds).toBe(5400);
    expect(input.AlgorithmSpecification?.TrainingImage).toMatch(/pytorch-training:2\.5\.1-cpu-py311$/);
    expect(input.InputDataConfig?.map((c) => c.ChannelName)).toEqual(['train', 'test']);
    expect(input.TrainingJobName).toMatch(NAME);
  });

  it('says what is missing before the first deploy', async () => {
    await expect(
      trainMain(['--dry-run', '--region', 'eu-west-1', '--outputs-file', join(work, 'none.json')], () => undefined),
    ).rejects.toThrow(/deploy first/);
  });
});

describe('train.py options after --', () => {
  it.each([
    [['--epochs=3'], { epochs: '3' }],
    [['--epochs', '3', '--cell=gru'], { epochs: '3', cell: 'gru' }],
    [['--resume', '--epochs', '2'], { resume: 'true', epochs: '2' }],
    [['--resume'], { resume: 'true' }],
  ])('%j -> %j', (argv, expected) => {
    expect(parseHyperparameters(argv)).toEqual(expected);
  });

  it.each([[['epochs=3']], [['--sagemaker_program=x.py']], [['--Epochs=3']]])('refuses %j', (argv) => {
    expect(() => parseHyperparameters(argv)).toThrow();
  });
});

describe('waiting and registering', () => {
  /** A client whose send answers from a script, one answer per call. */
  const scripted = (answers: object[]) => {
    const sent: string[] = [];
    return {
      sent,
      client: {
        send: (command: { constructor: { name: string } }) => {
          sent.push(command.constructor.name);
          return Promise.resolve(answers.shift() ?? {});
        },
      } as never,
    };
  };

  it('follows a training job to Completed and returns its model', async () => {
    const { client, sent } = scripted([
      { TrainingJobStatus: 'InProgress', SecondaryStatus: 'Starting' },
      {
        TrainingJobStatus: 'InProgress',
        SecondaryStatus: 'Training',
        SecondaryStatusTransitions: [{ StatusMessage: 'Training image download completed.' }],
      },
      {
        TrainingJobStatus: 'Completed',
        SecondaryStatus: 'Completed',
        ModelArtifacts: { S3ModelArtifacts: 's3://b/models/job/output/model.tar.gz' },
        BillableTimeInSeconds: 480,
      },
    ]);
    const lines: string[] = [];
    const url = await waitForJob(
      client,
      'job',
      0,
      (line) => lines.push(line),
      () => Promise.resolve(),
    );
    expect(url).toBe('s3://b/models/job/output/model.tar.gz');
    expect(sent).toEqual(['DescribeTrainingJobCommand', 'DescribeTrainingJobCommand', 'DescribeTrainingJobCommand']);
    expect(lines.join('')).toMatch(/InProgress \/ Training: Training image download completed\./);
  });

  it('fails with SageMaker reason when the job fails', async () => {
    const { client } = scripted([{ TrainingJobStatus: 'Failed', FailureReason: 'AlgorithmError: no data' }]);
    await expect(
      waitForJob(
        client,
        'job',
        0,
        () => undefined,
        () => Promise.resolve(),
      ),
    ).rejects.toThrow(/no data/);
  });

  it('starts, waits and registers the model in the context file the CDK app reads', async () => {
    const contextFile = join(work, 'cdk.context.json');
    writeFileSync(contextFile, `${JSON.stringify({ other: 'kept' })}\n`);
    const { client, sent } = scripted([
      {},
      { TrainingJobStatus: 'Completed', ModelArtifacts: { S3ModelArtifacts: 's3://b/models/j/output/model.tar.gz' } },
    ]);
    await trainMain(
      ['--region', 'eu-west-1', '--outputs-file', outputsFile, '--context-file', contextFile, '--poll-seconds', '1'],
      () => undefined,
      client,
    );
    expect(sent).toEqual(['CreateTrainingJobCommand', 'DescribeTrainingJobCommand']);
    expect(JSON.parse(readFileSync(contextFile, 'utf8'))).toEqual({
      other: 'kept',
      modelDataUrl: 's3://b/models/j/output/model.tar.gz',
    });
  });
});

describe('names and images', () => {
  it('makes timestamped names SageMaker accepts, even from a long prefix', () => {
    const now = new Date('2026-11-25T12:34:56Z');
    expect(timestampedName('reelsense', now)).toBe('reelsense-20261125-123456');
    const long = timestampedName('x'.repeat(80), now);
    expect(long).toMatch(NAME);
    expect(long.length).toBeLessThanOrEqual(63);
  });

  it.each([
    ['us-east-1', '763104351884.dkr.ecr.us-east-1.amazonaws.com/pytorch-training:2.6.0-cpu-py312'],
    ['af-south-1', '626614931356.dkr.ecr.af-south-1.amazonaws.com/pytorch-training:2.6.0-cpu-py312'],
    ['cn-north-1', '727897471807.dkr.ecr.cn-north-1.amazonaws.com.cn/pytorch-training:2.6.0-cpu-py312'],
  ])('the PyTorch training image in %s', (region, uri) => {
    expect(pytorchTrainingImage(region, '2.6.0', 'py312')).toBe(uri);
    expect(uri).toMatch(IMAGE);
  });
});

describe('the scripts as commands', () => {
  it('npm run aws:train -- --dry-run prints the requests and exits 0 without credentials', () => {
    const result = spawnSync(
      join(ROOT, 'node_modules/.bin/tsx'),
      ['backend/infra/scripts/train.ts', '--dry-run', '--outputs-file', outputsFile],
      {
        cwd: ROOT,
        encoding: 'utf8',
        env: { PATH: process.env.PATH, HOME: work, AWS_REGION: 'eu-west-1', AWS_EC2_METADATA_DISABLED: 'true' },
      },
    );
    expect(result.status, result.stderr).toBe(0);
    expect(parseDryRun(result.stdout).map((r) => r.command)).toEqual(['CreateTrainingJob', 'DescribeTrainingJob']);
  });
});
