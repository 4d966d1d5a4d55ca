/**
 * The stacks' options: Serverless Inference instead of instances, a trained model in S3, narrowed
 * CORS origins, an API key with a usage plan, other throttling; the settings read from CDK
 * context; and the props that are refused with a clear message. No asset is bundled here.
 */
import { rmSync } from 'node:fs';
import { Duration, type App } from 'aws-cdk-lib';
import { Match, type Template } from 'aws-cdk-lib/assertions';
import { afterEach, describe, expect, it } from 'vitest';
import { ApiStack, type ApiStackProps } from '../../../backend/infra/lib/api-stack.ts';
import { configFromContext } from '../../../backend/infra/lib/config.ts';
import { ModelStack, type ModelStackProps } from '../../../backend/infra/lib/model-stack.ts';
import { SHIPPED_ARTIFACT_DIR } from '../../../backend/infra/lib/paths.ts';
import { list, statementsOf, templateOf, testApp } from './helpers.ts';

const ENDPOINT = {
  endpointName: 'reelsense',
  endpointArn: 'arn:aws:sagemaker:us-east-1:123456789012:endpoint/reelsense',
};
const LOCAL = { kind: 'local', directory: SHIPPED_ARTIFACT_DIR } as const;
const apps: App[] = [];

function app(context: Record<string, unknown> = {}): App {
  const made = testApp({ context });
  apps.push(made);
  return made;
}

afterEach(() => {
  for (const made of apps.splice(0)) rmSync(made.outdir, { recursive: true, force: true });
});

const modelTemplate = (props: Partial<ModelStackProps> = {}): Template =>
  templateOf(new ModelStack(app(), 'Model', { artifact: LOCAL, ...props }));
const apiTemplate = (props: Partial<ApiStackProps> = {}): Template =>
  templateOf(new ApiStack(app(), 'Api', { ...ENDPOINT, ...props }));

describe('model stack options', () => {
  it('switches to Serverless Inference, without auto scaling or network isolation', () => {
    const template = modelTemplate({ serverless: {} });
    template.hasResourceProperties('AWS::SageMaker::EndpointConfig', {
      ProductionVariants: [
        {
          VariantName: 'AllTraffic',
          ModelName: Match.anyValue(),
          ServerlessConfig: { MemorySizeInMB: 2048, MaxConcurrency: 5 },
        },
      ],
    });
    template.resourceCountIs('AWS::ApplicationAutoScaling::ScalableTarget', 0);
    template.resourceCountIs('AWS::ApplicationAutoScaling::ScalingPolicy', 0);
    template.hasResourceProperties('AWS::SageMaker::Model', { EnableNetworkIsolation: false });
  });

  it('takes the serverless memory and concurrency', () => {
    modelTemplate({ serverless: { memorySizeInMb: 4096, maxConcurrency: 20 } }).hasResourceProperties(
      'AWS::SageMaker::EndpointConfig',
      { ProductionVariants: [Match.objectLike({ ServerlessConfig: { MemorySizeInMB: 4096, MaxConcurrency: 20 } })] },
    );
  });

  it('takes instance type, count, capacity and scaling target', () => {
    const template = modelTemplate({
      instanceType: 'ml.m5.large',
      instanceCount: 2,
      minCapacity: 2,
      maxCapacity: 8,
      targetInvocationsPerInstance: 1200,
      endpointName: 'reelsense-staging',
    });
    template.hasResourceProperties('AWS::SageMaker::EndpointConfig', {
      ProductionVariants: [Match.objectLike({ InstanceType: 'ml.m5.large', InitialInstanceCount: 2 })],
    });
    template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalableTarget', { MinCapacity: 2, MaxCapacity: 8 });
    template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalingPolicy', {
      TargetTrackingScalingPolicyConfiguration: Match.objectLike({ TargetValue: 1200 }),
    });
    template.hasResourceProperties('AWS::SageMaker::Endpoint', { EndpointName: 'reelsense-staging' });
  });

  it('serves a trained model from S3 and lets the role read that one object', () => {
    const url = 's3://reelsense-training-bucket/models/reelsense-20260101-000000/output/model.tar.gz';
    const template = modelTemplate({ artifact: { kind: 's3', url } });
    template.hasResourceProperties('AWS::SageMaker::Model', {
      PrimaryContainer: Match.objectLike({ ModelDataUrl: url }),
    });
    const reads = statementsOf(template)
      .map(({ statement }) => statement)
      .filter((s) => list(s.Action).includes('s3:GetObject'));
    expect(reads).toEqual([
      expect.objectContaining({
        Resource: {
          'Fn::Join': [
            '',
            [
              'arn:',
              { Ref: 'AWS::Partition' },
              ':s3:::reelsense-training-bucket/models/reelsense-20260101-000000/output/model.tar.gz',
            ],
          ],
        },
      }),
    ]);
  });

  it.each<[string, Partial<ModelStackProps>, RegExp]>([
    ['an instance type that is not ml.*', { instanceType: 'c5.large' }, /instanceType/],
    ['no instances', { instanceCount: 0 }, /instanceCount/],
    ['a floor above the count', { minCapacity: 2 }, /minCapacity/],
    ['a ceiling below the count', { instanceCount: 3, maxCapacity: 2 }, /maxCapacity/],
    ['serverless memory off the 1 GB steps', { serverless: { memorySizeInMb: 1500 } }, /memorySizeInMb/],
    ['serverless concurrency over 200', { serverless: { maxConcurrency: 500 } }, /maxConcurrency/],
    ['an endpoint name SageMaker refuses', { endpointName: 'reel_sense' }, /endpointName/],
    ['a model URL that is not s3://', { artifact: { kind: 's3', url: 'https://x/model.tar.gz' } }, /S3 object URL/],
  ])('refuses %s', (_what, props, message) => {
    expect(() => new ModelStack(app(), 'Model', { artifact: LOCAL, ...props })).toThrow(message);
  });
});

describe('API stack options', () => {
  it('narrows CORS to a list of origins: preflight, handler and gateway errors', () => {
    const origins = ['https://d111111abcdef8.cloudfront.net', 'chrome-extension://abcdefghijklmnopabcdefghijklmnop'];
    const template = apiTemplate({ allowedOrigins: origins });
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ REELSENSE_ALLOWED_ORIGINS: origins.join(',') }) },
    });
    // With several origins CDK's preflight echoes the request's Origin when it is on the list.
    template.hasResourceProperties('AWS::ApiGateway::Method', {
      HttpMethod: 'OPTIONS',
      Integration: Match.objectLike({
        IntegrationResponses: [
          Match.objectLike({
            ResponseParameters: Match.objectLike({
              'method.response.header.Access-Control-Allow-Origin': `'${origins[0] ?? ''}'`,
              'method.response.header.Vary': "'Origin'",
            }),
            ResponseTemplates: {
              'application/json': Match.stringLikeRegexp('chrome-extension://abcdefghijklmnopabcdefghijklmnop'),
            },
          }),
        ],
      }),
    });
    template.hasResourceProperties('AWS::ApiGateway::GatewayResponse', {
      ResponseType: 'DEFAULT_4XX',
      ResponseParameters: Match.objectLike({
        'gatewayresponse.header.Access-Control-Allow-Origin': 'method.request.header.origin',
        'gatewayresponse.header.Vary': "'Origin'",
      }),
    });
  });

  it('puts a single allowed origin on the gateway errors as it is', () => {
    apiTemplate({ allowedOrigins: ['https://reelsense.example'] }).hasResourceProperties(
      'AWS::ApiGateway::GatewayResponse',
      {
        ResponseType: 'DEFAULT_5XX',
        ResponseParameters: Match.objectLike({
          'gatewayresponse.header.Access-Control-Allow-Origin': "'https://reelsense.example'",
        }),
      },
    );
  });

  it('requires an API key with a usage plan that throttles each key, and outputs its id', () => {
    const template = apiTemplate({ apiKey: { rateLimit: 5, burstLimit: 10, quotaPerDay: 1000 } });
    template.hasResourceProperties('AWS::ApiGateway::Method', { HttpMethod: 'POST', ApiKeyRequired: true });
    template.hasResourceProperties('AWS::ApiGateway::Method', { HttpMethod: 'ANY', ApiKeyRequired: true });
    template.hasResourceProperties('AWS::ApiGateway::Method', { HttpMethod: 'OPTIONS', ApiKeyRequired: false });
    template.resourceCountIs('AWS::ApiGateway::ApiKey', 1);
    template.hasResourceProperties('AWS::ApiGateway::UsagePlan', {
      Throttle: { RateLimit: 5, BurstLimit: 10 },
      Quota: { Limit: 1000, Period: 'DAY' },
      ApiStages: [Match.objectLike({ Stage: Match.anyValue() })],
    });
    template.resourceCountIs('AWS::ApiGateway::UsagePlanKey', 1);
    template.hasOutput('ApiKeyId', {});
  });

  it('takes the stage throttling, memory, limits and endpoint timeout', () => {
    const template = apiTemplate({
      throttlingRateLimit: 10,
      throttlingBurstLimit: 20,
      memorySize: 1024,
      limits: { maxReviews: 16, maxExplainedReviews: 4 },
      endpointTimeout: Duration.seconds(5),
      timeout: Duration.seconds(15),
    });
    template.hasResourceProperties('AWS::ApiGateway::Stage', {
      MethodSettings: [Match.objectLike({ ThrottlingRateLimit: 10, ThrottlingBurstLimit: 20 })],
    });
    template.hasResourceProperties('AWS::Lambda::Function', {
      MemorySize: 1024,
      Timeout: 15,
      Environment: {
        Variables: Match.objectLike({
          REELSENSE_MAX_REVIEWS: '16',
          REELSENSE_MAX_EXPLAINED_REVIEWS: '4',
          REELSENSE_ENDPOINT_TIMEOUT_MS: '5000',
        }),
      },
    });
  });

  it("leaves the account's CloudWatch role for API Gateway alone with accountLogRole false, and still logs", () => {
    const template = apiTemplate({ accountLogRole: false });
    template.resourceCountIs('AWS::ApiGateway::Account', 0);
    template.hasResourceProperties('AWS::ApiGateway::Stage', {
      AccessLogSetting: Match.objectLike({ Format: Match.anyValue() }),
    });
  });

  it.each<[string, Partial<ApiStackProps>, RegExp]>([
    [
      'a timeout that two endpoint attempts can outlast',
      { timeout: Duration.seconds(20) },
      /above two endpoint attempts/,
    ],
    ['a timeout API Gateway cuts first', { timeout: Duration.seconds(29) }, /below API Gateway/],
    ['a wildcard origin pattern', { allowedOrigins: ['chrome-extension://*'] }, /exact origin/],
    ['an origin with a path', { allowedOrigins: ['https://a.example/page'] }, /exact origin/],
    ['* with other origins', { allowedOrigins: ['*', 'https://a.example'] }, /alone/],
    ['no origins', { allowedOrigins: [] }, /empty/],
  ])('refuses %s', (_what, props, message) => {
    expect(() => new ApiStack(app(), 'Api', { ...ENDPOINT, ...props })).toThrow(message);
  });
});

describe('settings from CDK context', () => {
  it('gives the defaults when nothing is set: the shipped model, website/dist', () => {
    const config = configFromContext(app());
    expect(config.artifact).toEqual({
      kind: 'local',
      directory: expect.stringMatching(/model\/artifacts\/rnn-v3\/?$/) as unknown,
    });
    expect(config.siteDir).toMatch(/website\/dist$/);
    expect(config.model).toEqual({});
    expect(config.api).toEqual({});
  });

  it('reads -c values (text) and cdk.json values (typed) alike', () => {
    const config = configFromContext(
      app({
        modelDataUrl: 's3://bucket/models/job/output/model.tar.gz',
        serverless: 'true',
        serverlessMemoryMb: '3072',
        instanceCount: 2,
        allowedOrigins: 'https://a.example, https://b.example',
        throttleRate: '20',
        apiKey: true,
        apiKeyQuotaPerDay: '500',
        apiGatewayAccountRole: 'false',
      }),
    );
    expect(config.artifact).toEqual({ kind: 's3', url: 's3://bucket/models/job/output/model.tar.gz' });
    expect(config.model).toEqual({ instanceCount: 2, serverless: { memorySizeInMb: 3072 } });
    expect(config.api).toEqual({
      allowedOrigins: ['https://a.example', 'https://b.example'],
      throttlingRateLimit: 20,
      apiKey: { quotaPerDay: 500 },
      accountLogRole: false,
    });
  });

  it.each([
    ['instanceCount', 'two', /number/],
    ['serverless', 'yes', /true or false/],
    ['endpointName', 42, /text/],
  ])('refuses %s = %j', (key, value, message) => {
    expect(() => configFromContext(app({ [key]: value }))).toThrow(message);
  });
});
