/**
 * The deployed code is the tested code: the API stack is synthesised, which bundles the handler
 * with esbuild exactly as `cdk deploy` does, and that bundle (index.js in the cloud assembly) is
 * loaded and invoked with API Gateway proxy events. Its AWS SDK, bundled in, reaches the real
 * endpoint server through AWS_ENDPOINT_URL_SAGEMAKER_RUNTIME, with the environment the template
 * gives the function.
 */
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ApiStack } from '../../../backend/infra/lib/api-stack.ts';
import { startEndpointServer, type EndpointServer } from '../../../backend/endpoint/server.ts';
import { apiGatewayEvent, type EventOverrides } from '../../helpers/events.ts';
import { templateOf, testApp } from './helpers.ts';

const MODEL_DIR = fileURLToPath(new URL('../../fixtures/artifact-tiny/', import.meta.url));
const MODEL_VERSION = (JSON.parse(readFileSync(join(MODEL_DIR, 'card.json'), 'utf8')) as { version: string }).version;

type Handler = (event: APIGatewayProxyEvent) => Promise<APIGatewayProxyResult>;

let outdir: string;
let bundleDir: string;
let handler: Handler;
let endpoint: EndpointServer;
const saved = { ...process.env };
const logLines: string[] = [];

beforeAll(async () => {
  const app = testApp({ bundle: ['ReelSenseApi'] });
  outdir = app.outdir;
  const stack = new ApiStack(app, 'ReelSenseApi', {
    endpointName: 'reelsense-test',
    endpointArn: 'arn:aws:sagemaker:us-east-1:123456789012:endpoint/reelsense-test',
  });
  const [fn] = Object.values(templateOf(stack).findResources('AWS::Lambda::Function'));
  const props = fn?.Properties as { Code: { S3Key: string }; Environment: { Variables: Record<string, string> } };
  bundleDir = join(app.outdir, `asset.${props.Code.S3Key.replace(/\.zip$/, '')}`);

  endpoint = await startEndpointServer({ port: 0, modelDir: MODEL_DIR });
  await endpoint.ready;
  // The function's environment from the template, and what Lambda would give it.
  Object.assign(process.env, props.Environment.Variables, {
    AWS_ENDPOINT_URL_SAGEMAKER_RUNTIME: endpoint.url,
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
  });
  delete process.env.AWS_SESSION_TOKEN;
  delete process.env.AWS_PROFILE;
  vi.spyOn(process.stdout, 'write').mockImplementation((line) => {
    logLines.push(String(line));
    return true;
  });
  const bundle = (await import(pathToFileURL(join(bundleDir, 'index.js')).href)) as { handler: Handler };
  handler = bundle.handler;
}, 120_000);

afterAll(async () => {
  vi.restoreAllMocks();
  process.env = saved;
  await endpoint.close();
  rmSync(outdir, { recursive: true, force: true });
});

/** The API Gateway sample event (tests/fixtures/events/) as the website on CloudFront sends it, two reviews. */
function event(overrides: EventOverrides = {}): APIGatewayProxyEvent {
  return apiGatewayEvent({
    headers: { 'content-type': 'application/json', origin: 'https://dxxxx.cloudfront.net' },
    body: JSON.stringify({ texts: ['great great loved', 'awful boring terrible'] }),
    ...overrides,
    requestContext: { requestId: 'bundle-test', ...overrides.requestContext },
  });
}

describe('the bundled Lambda handler', () => {
  it('is one CommonJS file with the AWS SDK inside (the runtime copy may lack what the handler uses)', () => {
    expect(existsSync(join(bundleDir, 'index.js'))).toBe(true);
    const code = readFileSync(join(bundleDir, 'index.js'), 'utf8');
    // Only the SDK's optional SigV4a signer stays outside (loaded in a try, for multi-region access points).
    const required = new Set([...code.matchAll(/require\("(@aws-sdk\/[^"]+)"\)/g)].map((m) => m[1]));
    expect([...required]).toEqual(['@aws-sdk/signature-v4-crt']);
    expect(code.includes('throwOnRequestTimeout')).toBe(true);
  });

  it('classifies reviews through the endpoint server, as API Gateway calls it', async () => {
    const result = await handler(event());
    expect(result.statusCode).toBe(200);
    expect(result.headers?.['Access-Control-Allow-Origin']).toBe('*');
    const body = JSON.parse(result.body) as { results: { label: string; score: number }[]; model: string };
    expect(body.model).toBe(MODEL_VERSION);
    expect(body.results.map((r) => r.label)).toEqual(['positive', 'negative']);
    expect(body.results[0]?.score).toBeGreaterThan(0.9);
    const log = logLines
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .find((l) => l.requestId === 'bundle-test');
    expect(log).toMatchObject({ level: 'INFO', message: 'request', status: 200, reviews: 2, model: MODEL_VERSION });
  });

  it('takes a text/plain body and answers errors in the contract shape with CORS headers', async () => {
    const plain = await handler(event({ headers: { 'content-type': 'text/plain' }, body: 'great great loved' }));
    expect(JSON.parse(plain.body)).toMatchObject({ results: [{ label: 'positive' }] });
    const empty = await handler(event({ body: JSON.stringify({ text: '   ' }) }));
    expect(empty.statusCode).toBe(400);
    expect(JSON.parse(empty.body)).toMatchObject({ error: { code: 'EMPTY_REVIEW' } });
    expect(empty.headers?.['Access-Control-Allow-Origin']).toBe('*');
  });

  it('answers another method with 405 and Allow, as API Gateway sends it there (ANY /sentiment)', async () => {
    const result = await handler(event({ httpMethod: 'GET', body: null }));
    expect(result.statusCode).toBe(405);
    expect(result.headers?.Allow).toBe('POST, OPTIONS');
    expect(JSON.parse(result.body)).toMatchObject({ error: { code: 'METHOD_NOT_ALLOWED' } });
  });

  it('applies the limits from its environment before any model work', async () => {
    const texts = Array.from({ length: Number(process.env.REELSENSE_MAX_REVIEWS) + 1 }, () => 'fine');
    const result = await handler(event({ body: JSON.stringify({ texts }) }));
    expect(result.statusCode).toBe(413);
    expect(JSON.parse(result.body)).toMatchObject({ error: { code: 'TOO_MANY_REVIEWS' } });
  });

  it('explains when asked, and applies the limit of reviews to explain from its environment', async () => {
    const texts = ['great great loved', '  awful <br />boring'];
    const explained = await handler(event({ body: JSON.stringify({ texts, explain: true }) }));
    expect(explained.statusCode).toBe(200);
    const { results } = JSON.parse(explained.body) as { results: { explanation?: unknown[] }[] };
    expect(results.map((r) => r.explanation?.length)).toEqual([3, 2]);
    const many = Array.from({ length: Number(process.env.REELSENSE_MAX_EXPLAINED_REVIEWS) + 1 }, () => 'fine');
    const refused = await handler(event({ body: JSON.stringify({ texts: many, explain: true }) }));
    expect(refused.statusCode).toBe(413);
    expect(JSON.parse(refused.body)).toMatchObject({ error: { code: 'TOO_MANY_TO_EXPLAIN' } });
  });
});
