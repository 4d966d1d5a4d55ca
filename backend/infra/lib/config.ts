/**
 * The app's settings from CDK context (`-c name=value` on the command line, or cdk.context.json,
 * where `npm run aws:train` registers a trained model). Every key is optional; a value of the wrong
 * type stops the synth with a message that names the key.
 */
import { resolve } from 'node:path';
import type { Construct } from 'constructs';
import type { ReelSenseConfig } from './reelsense.ts';
import { INFRA_DIR, SHIPPED_ARTIFACT_DIR, SITE_DIR } from './paths.ts';

/** The context keys, with what each sets (backend/infra/README.md lists them too). */
export const CONTEXT_KEYS = {
  modelDataUrl: 's3://bucket/key of a trained model.tar.gz (npm run aws:train writes it to cdk.context.json)',
  modelDir: 'a local artifact folder (model.onnx, vocab.json, card.json); default the shipped model',
  endpointName: 'the SageMaker endpoint name (default reelsense)',
  instanceType: 'the endpoint instance type (default ml.c5.large)',
  instanceCount: 'instances at creation (default 1)',
  minCapacity: 'auto scaling floor (default 1)',
  maxCapacity: 'auto scaling ceiling (default 4)',
  targetInvocationsPerInstance: 'auto scaling target, invocations per instance per minute (default 3000)',
  serverless: 'true: SageMaker Serverless Inference instead of instances',
  serverlessMemoryMb: 'serverless memory, 1024 to 6144 (default 2048)',
  serverlessMaxConcurrency: 'serverless concurrency, 1 to 200 (default 5)',
  allowedOrigins: 'comma-separated CORS origins (default *)',
  throttleRate: 'API requests per second (default 50)',
  throttleBurst: 'API burst (default 100)',
  apiKey: 'true: every request needs an API key (usage plan per key)',
  apiKeyQuotaPerDay: 'requests per key per day (with apiKey)',
  apiGatewayAccountRole:
    "false: the account already names API Gateway's CloudWatch role (default: the API stack sets it)",
  siteDir: 'the built page (default website/dist)',
} as const;

type Key = keyof typeof CONTEXT_KEYS;

/** `value` without its undefined properties, typed as optional ones (exactOptionalPropertyTypes). */
type Defined<T> = { [K in keyof T]?: Exclude<T[K], undefined> };
function defined<T extends object>(value: T): Defined<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Defined<T>;
}

/** The whole configuration of the app from the context of `scope` (the App). */
export function configFromContext(scope: Construct): ReelSenseConfig {
  const read = (key: Key): unknown => scope.node.tryGetContext(key) as unknown;
  const text = (key: Key): string | undefined => {
    const value = read(key);
    if (value === undefined || value === '') return undefined;
    if (typeof value !== 'string') throw new Error(`Context ${key} must be text, not ${JSON.stringify(value)}.`);
    return value;
  };
  const number = (key: Key): number | undefined => {
    const value = read(key);
    if (value === undefined || value === '') return undefined;
    const parsed = typeof value === 'number' ? value : Number(value);
    if (!Number.isFinite(parsed)) throw new Error(`Context ${key} must be a number, not ${JSON.stringify(value)}.`);
    return parsed;
  };
  const flag = (key: Key): boolean => {
    const value = read(key);
    if (value === undefined || value === false || value === 'false' || value === '') return false;
    if (value === true || value === 'true') return true;
    throw new Error(`Context ${key} must be true or false, not ${JSON.stringify(value)}.`);
  };
  const path = (key: Key, fallback: string): string => resolve(INFRA_DIR, text(key) ?? fallback);

  const modelDataUrl = text('modelDataUrl');
  const quotaPerDay = number('apiKeyQuotaPerDay');
  return {
    artifact:
      modelDataUrl === undefined
        ? { kind: 'local', directory: path('modelDir', SHIPPED_ARTIFACT_DIR) }
        : { kind: 's3', url: modelDataUrl },
    siteDir: path('siteDir', SITE_DIR),
    model: defined({
      endpointName: text('endpointName'),
      instanceType: text('instanceType'),
      instanceCount: number('instanceCount'),
      minCapacity: number('minCapacity'),
      maxCapacity: number('maxCapacity'),
      targetInvocationsPerInstance: number('targetInvocationsPerInstance'),
      serverless: flag('serverless')
        ? defined({
            memorySizeInMb: number('serverlessMemoryMb'),
            maxConcurrency: number('serverlessMaxConcurrency'),
          })
        : undefined,
    }),
    api: defined({
      allowedOrigins: text('allowedOrigins')
        ?.split(',')
        .map((origin) => origin.trim())
        .filter((origin) => origin !== ''),
      throttlingRateLimit: number('throttleRate'),
      throttlingBurstLimit: number('throttleBurst'),
      apiKey: flag('apiKey') ? defined({ quotaPerDay }) : undefined,
      accountLogRole: read('apiGatewayAccountRole') === undefined ? undefined : flag('apiGatewayAccountRole'),
    }),
  };
}
