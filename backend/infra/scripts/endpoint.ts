/**
 * npm run aws:endpoint -- describe|update|delete [options]
 *
 *   describe                     status, instances and configuration of the endpoint
 *   update [--model-name M] [--instance-type T] [--instance-count N] [--variant V]
 *          [--serverless-memory MB --max-concurrency N] [--no-wait]
 *                                a new EndpointConfig, then UpdateEndpoint (SageMaker swaps
 *                                instances blue/green, no downtime), waiting until InService
 *   delete --yes [--config-name C]
 *                                DeleteEndpoint (and an endpoint config): the hourly cost stops
 *
 * The endpoint defaults to the ReelSenseModel stack's (backend/infra/dist/cdk-outputs.json), else
 * `reelsense`; --name picks another. Every command takes --dry-run (print the requests, send
 * nothing) and --region. update and delete change the endpoint behind CloudFormation's back: the
 * next `npm run deploy` puts the stack's settings back, and `npm run destroy` is the full teardown.
 */
import { pathToFileURL } from 'node:url';
import {
  CreateEndpointConfigCommand,
  DeleteEndpointCommand,
  DeleteEndpointConfigCommand,
  DescribeEndpointCommand,
  DescribeEndpointConfigCommand,
  SageMakerClient,
  UpdateEndpointCommand,
} from '@aws-sdk/client-sagemaker';
import { parseFlags, runCli } from '../../../common/cli/run.ts';
import { ReelSenseError } from '../../../common/errors.ts';
import { DEPLOY_OUTPUTS_FILE } from '../lib/paths.ts';
import { STACK_NAMES } from '../lib/reelsense.ts';
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
  createEndpointConfigRequest,
  deleteEndpointConfigRequest,
  deleteEndpointRequest,
  describeEndpointConfigRequest,
  describeEndpointRequest,
  timestampedName,
  updateEndpointRequest,
  NAME_PATTERN,
  type PlannedRequest,
  type VariantSpec,
} from './requests.ts';

const ACTIONS = ['describe', 'update', 'delete'] as const;
type Action = (typeof ACTIONS)[number];
const FLAGS = [
  'name',
  'region',
  'model-name',
  'variant',
  'instance-type',
  'instance-count',
  'serverless-memory',
  'max-concurrency',
  'config-name',
  'outputs-file',
  'poll-seconds',
];
const BOOLEANS = ['dry-run', 'no-wait', 'yes'];

export interface EndpointPlan {
  readonly action: Action;
  readonly endpointName: string;
  /** update: the config it creates; delete: the config it deletes too, if any. */
  readonly configName: string | undefined;
  /** update: what the new config serves. */
  readonly variant: VariantSpec | undefined;
  readonly region: string;
  readonly requests: readonly PlannedRequest[];
  readonly dryRun: boolean;
  readonly wait: boolean;
  readonly pollMs: number;
}

/** The requests an action sends, from its flags and the deploy outputs. */
export async function planEndpoint(argv: readonly string[], now: Date = new Date()): Promise<EndpointPlan> {
  const [action, ...rest] = argv;
  if (!ACTIONS.includes(action as Action)) {
    throw new ReelSenseError('BAD_OPTION', `Say what to do first: ${ACTIONS.join(', ')} (not "${action ?? ''}").`);
  }
  const flags = parseFlags(rest, FLAGS, BOOLEANS);
  const outputs = readDeployOutputs(flags.get('outputs-file') ?? DEPLOY_OUTPUTS_FILE)[STACK_NAMES.model] ?? {};
  const endpointName = flags.get('name') ?? outputs.EndpointName ?? 'reelsense';
  const configName = flags.get('config-name');
  for (const [what, name] of [
    ['--name', endpointName],
    ['--config-name', configName],
  ] as const) {
    if (name !== undefined && !NAME_PATTERN.test(name)) {
      throw new ReelSenseError('BAD_OPTION', `${what} "${name}": letters, digits and hyphens, 63 at most.`);
    }
  }
  const dryRun = flags.has('dry-run');
  let requests: PlannedRequest[];
  let variant: VariantSpec | undefined;
  let config = configName;
  if (action === 'describe') {
    requests = [
      { command: 'DescribeEndpoint', input: describeEndpointRequest(endpointName) },
      { command: 'DescribeEndpointConfig', input: describeEndpointConfigRequest('<the EndpointConfigName it names>') },
    ];
  } else if (action === 'update') {
    config = configName ?? timestampedName(endpointName, now);
    variant = variantFrom(flags, outputs);
    requests = [
      { command: 'CreateEndpointConfig', input: createEndpointConfigRequest(config, variant) },
      { command: 'UpdateEndpoint', input: updateEndpointRequest(endpointName, config) },
      { command: 'DescribeEndpoint', input: describeEndpointRequest(endpointName) },
    ];
  } else {
    if (!dryRun && !flags.has('yes')) {
      throw new ReelSenseError('CONFIRM', `Deleting ${endpointName} stops it serving; add --yes to go ahead.`);
    }
    requests = [
      { command: 'DeleteEndpoint', input: deleteEndpointRequest(endpointName) },
      ...(configName === undefined
        ? []
        : [{ command: 'DeleteEndpointConfig', input: deleteEndpointConfigRequest(configName) }]),
    ];
  }
  return {
    action: action as Action,
    endpointName,
    configName: config,
    variant,
    region: await resolveRegion(flags.get('region')),
    requests,
    dryRun,
    wait: action === 'update' && !flags.has('no-wait'),
    pollMs: 1000 * integerFlag(flags, 'poll-seconds', 30),
  };
}

function variantFrom(flags: Map<string, string>, outputs: Record<string, string>): VariantSpec {
  const common = {
    variantName: flags.get('variant') ?? 'AllTraffic',
    modelName: required(flags.get('model-name') ?? outputs.ModelName, 'The model to serve (--model-name)'),
  };
  if (flags.has('serverless-memory')) {
    const memorySizeInMb = integerFlag(flags, 'serverless-memory', 2048, 1024);
    if (memorySizeInMb % 1024 !== 0 || memorySizeInMb > 6144) {
      throw new ReelSenseError('BAD_OPTION', '--serverless-memory must be 1024, 2048, ... or 6144.');
    }
    const maxConcurrency = integerFlag(flags, 'max-concurrency', 5);
    if (maxConcurrency > 200) throw new ReelSenseError('BAD_OPTION', '--max-concurrency must be 1 to 200.');
    return { ...common, serverless: { memorySizeInMb, maxConcurrency } };
  }
  const instanceType = flags.get('instance-type') ?? 'ml.c5.large';
  if (!/^ml\.[a-z0-9]+\.[a-z0-9]+$/.test(instanceType)) {
    throw new ReelSenseError('BAD_OPTION', `--instance-type "${instanceType}" is not an ml.* instance type.`);
  }
  return { ...common, instanceType, instanceCount: integerFlag(flags, 'instance-count', 1) };
}

export async function main(
  argv: readonly string[],
  print: Print = (text) => process.stdout.write(text),
  client?: Pick<SageMakerClient, 'send'>,
): Promise<void> {
  const plan = await planEndpoint(argv);
  if (plan.dryRun) {
    for (const request of plan.requests) print(formatRequest(request));
    const repeat = plan.wait
      ? ` DescribeEndpoint would repeat every ${plan.pollMs / 1000} s until it is InService.`
      : '';
    print(`\n(dry run: nothing sent.${repeat})\n`);
    return;
  }
  const own = client ?? new SageMakerClient({ region: plan.region });
  try {
    await run(plan, own, print);
  } finally {
    if (client === undefined) (own as SageMakerClient).destroy();
  }
}

async function run(plan: EndpointPlan, client: Pick<SageMakerClient, 'send'>, print: Print): Promise<void> {
  const { endpointName, configName, variant } = plan;
  if (plan.action === 'describe') {
    const endpoint = await client.send(new DescribeEndpointCommand(describeEndpointRequest(endpointName)));
    const current = required(endpoint.EndpointConfigName, 'The endpoint config');
    const config = await client.send(new DescribeEndpointConfigCommand(describeEndpointConfigRequest(current)));
    const reason = endpoint.FailureReason === undefined ? '' : ` (${endpoint.FailureReason})`;
    print(`${endpointName}: ${endpoint.EndpointStatus ?? '?'}${reason}\n`);
    print(`  config ${current}, created ${endpoint.CreationTime?.toISOString() ?? '?'}\n`);
    for (const production of config.ProductionVariants ?? []) {
      const live = endpoint.ProductionVariants?.find((v) => v.VariantName === production.VariantName);
      const serverless = production.ServerlessConfig;
      const size =
        serverless === undefined
          ? `${production.InstanceType ?? '?'} x ${live?.CurrentInstanceCount ?? '?'} (desired ${live?.DesiredInstanceCount ?? '?'})`
          : `serverless ${serverless.MemorySizeInMB ?? '?'} MB, concurrency ${serverless.MaxConcurrency ?? '?'}`;
      print(`  variant ${production.VariantName ?? '?'}: model ${production.ModelName ?? '?'}, ${size}\n`);
    }
    return;
  }
  if (plan.action === 'delete') {
    await client.send(new DeleteEndpointCommand(deleteEndpointRequest(endpointName)));
    print(`Deleting ${endpointName}: it stops serving, and billing, within minutes.\n`);
    if (configName !== undefined) {
      await client.send(new DeleteEndpointConfigCommand(deleteEndpointConfigRequest(configName)));
      print(`Deleted the endpoint config ${configName}.\n`);
    }
    return;
  }
  if (configName === undefined || variant === undefined) throw new Error('update needs a config name and a variant.');
  await client.send(new CreateEndpointConfigCommand(createEndpointConfigRequest(configName, variant)));
  await client.send(new UpdateEndpointCommand(updateEndpointRequest(endpointName, configName)));
  print(`Updating ${endpointName} to ${configName}: SageMaker starts the new instances, then moves the traffic.\n`);
  if (plan.wait) await waitForEndpoint(client, endpointName, configName, plan.pollMs, print);
}

/**
 * Polls DescribeEndpoint until InService on `configName`. A failed update, or one SageMaker rolled
 * back (InService again, on the old config), is an error with SageMaker's reason.
 */
export async function waitForEndpoint(
  client: Pick<SageMakerClient, 'send'>,
  endpointName: string,
  configName: string,
  pollMs: number,
  print: Print,
  wait: (ms: number) => Promise<void> = sleep,
): Promise<void> {
  await pollStatus({
    describe: () => client.send(new DescribeEndpointCommand(describeEndpointRequest(endpointName))),
    line: (endpoint) => endpoint.EndpointStatus ?? 'Unknown',
    outcome: (endpoint) => {
      const status = endpoint.EndpointStatus ?? 'Unknown';
      const reason = endpoint.FailureReason ?? 'no reason given';
      if (status === 'InService') {
        if (endpoint.EndpointConfigName === configName) return true;
        throw new ReelSenseError(
          'UPDATE_ROLLED_BACK',
          `${endpointName} rolled back to ${endpoint.EndpointConfigName ?? '?'}: ${reason}`,
        );
      }
      if (status === 'Failed' || status === 'UpdateRollbackFailed' || status === 'OutOfService') {
        throw new ReelSenseError('ENDPOINT_FAILED', `${endpointName} is ${status}: ${reason}`);
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
