/**
 * The four stacks as `npm run deploy` creates them with the defaults, read from the synthesised
 * templates: every resource the seed made by hand in the console (role, Lambda, POST method with
 * proxy integration, deployed stage, SageMaker endpoint) plus what ReelSense adds, each promise
 * one assertion: least privilege, CORS, throttling, the private bucket, the outputs.
 */
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { Match, type Template } from 'aws-cdk-lib/assertions';
import { list as listTar } from 'tar';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createReelSense, STACK_NAMES, type ReelSenseStacks } from '../../../backend/infra/lib/reelsense.ts';
import type { TarGzAsset } from '../../../backend/infra/lib/tar-gz-asset.ts';
import { withApiUrl } from '../../../backend/infra/lib/website-stack.ts';
import { SHIPPED_ARTIFACT_DIR } from '../../../backend/infra/lib/paths.ts';
import { list, statementsOf, templateOf, testApp, testSiteDir } from './helpers.ts';

let outdir: string;
let stacks: ReelSenseStacks;
let model: Template;
let api: Template;
let website: Template;
let training: Template;

beforeAll(() => {
  // The tar archives are packed (cheap); the Lambda is bundled in lambda-bundle.test.ts.
  const app = testApp({ bundle: [STACK_NAMES.model, STACK_NAMES.training] });
  outdir = app.outdir;
  stacks = createReelSense(app, {
    artifact: { kind: 'local', directory: SHIPPED_ARTIFACT_DIR },
    siteDir: testSiteDir(outdir),
  });
  model = templateOf(stacks.model);
  api = templateOf(stacks.api);
  website = templateOf(stacks.website);
  training = templateOf(stacks.training);
});

afterAll(() => {
  rmSync(outdir, { recursive: true, force: true });
});

function modelData(): TarGzAsset {
  if (stacks.model.modelData === undefined) throw new Error('The model stack packed no model data.');
  return stacks.model.modelData;
}

/** The names in a staged .tar.gz asset. */
function tarEntries(asset: TarGzAsset): string[] {
  const names: string[] = [];
  listTar({
    file: join(outdir, `asset.${asset.asset.assetHash}.tar.gz`),
    sync: true,
    onReadEntry: (e) => names.push(e.path),
  });
  return names.sort();
}

/** Statements granting `*` resources or actions, as `action on resource`. */
function wildcards(template: Template): string[] {
  return statementsOf(template).flatMap(({ statement }) =>
    list(statement.Action)
      .filter((action) => action.includes('*') || statement.Resource === '*')
      .map(
        (action) =>
          `${action} on ${JSON.stringify(statement.Resource)}${statement.Condition ? ' (with a condition)' : ''}`,
      ),
  );
}

describe('what the seed made by hand in the console, now in the templates', () => {
  it.each<[string, () => Template, string, Record<string, unknown>]>([
    ['the SageMaker endpoint', () => model, 'AWS::SageMaker::Endpoint', {}],
    ['its endpoint config', () => model, 'AWS::SageMaker::EndpointConfig', {}],
    ['its model', () => model, 'AWS::SageMaker::Model', {}],
    ["the Lambda's IAM role", () => api, 'AWS::IAM::Role', { AssumeRolePolicyDocument: Match.objectLike({}) }],
    ['the Lambda function', () => api, 'AWS::Lambda::Function', {}],
    ['the REST API', () => api, 'AWS::ApiGateway::RestApi', {}],
    [
      'a POST method with Lambda proxy integration',
      () => api,
      'AWS::ApiGateway::Method',
      { HttpMethod: 'POST', Integration: Match.objectLike({ Type: 'AWS_PROXY' }) },
    ],
    ['a deployment', () => api, 'AWS::ApiGateway::Deployment', {}],
    ['a deployed stage', () => api, 'AWS::ApiGateway::Stage', { DeploymentId: Match.anyValue() }],
  ])('%s', (_what, template, type, properties) => {
    template().hasResourceProperties(type, properties);
  });
});

describe('model stack', () => {
  it('serves the endpoint image with the model data, network-isolated', () => {
    model.resourceCountIs('AWS::SageMaker::Model', 1);
    model.hasResourceProperties('AWS::SageMaker::Model', {
      ExecutionRoleArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^ExecutionRole'), 'Arn'] },
      EnableNetworkIsolation: true,
      PrimaryContainer: {
        Image: { 'Fn::Sub': Match.stringLikeRegexp('\\.dkr\\.ecr\\..*container-assets.*:[0-9a-f]{64}$') },
        ModelDataUrl: { 'Fn::Sub': Match.stringLikeRegexp('^s3://cdk-.*-assets-.*/[0-9a-f]{64}\\.gz$') },
      },
    });
  });

  it('creates the model only once its role has its policy', () => {
    const [resource] = Object.values(model.findResources('AWS::SageMaker::Model'));
    expect(resource?.DependsOn).toEqual(expect.arrayContaining([expect.stringMatching(/^ExecutionRoleDefaultPolicy/)]));
  });

  it('packs the shipped artifact as model.tar.gz with the three files at its root', () => {
    const packed = modelData();
    expect(tarEntries(packed)).toEqual(['card.json', 'model.onnx', 'vocab.json']);
  });

  it('stages the image build context from the repository root without node_modules, venvs or models', () => {
    const { image } = stacks.model;
    const context = join(outdir, `asset.${image.assetHash}`);
    expect(existsSync(join(context, 'backend/Dockerfile'))).toBe(true);
    expect(existsSync(join(context, 'backend/endpoint/server.ts'))).toBe(true);
    expect(existsSync(join(context, 'package-lock.json'))).toBe(true);
    for (const left of ['node_modules', 'model/artifacts', 'model/train', 'backend/infra', 'website', '.git']) {
      expect(existsSync(join(context, left)), left).toBe(false);
    }
  });

  it('has an endpoint config with one instance variant, ml.c5.large x 1 by default', () => {
    model.hasResourceProperties('AWS::SageMaker::EndpointConfig', {
      ProductionVariants: [
        {
          VariantName: 'AllTraffic',
          ModelName: { 'Fn::GetAtt': ['Model', 'ModelName'] },
          InstanceType: 'ml.c5.large',
          InitialInstanceCount: 1,
          InitialVariantWeight: 1,
        },
      ],
    });
  });

  it('names the endpoint reelsense and points it at the config', () => {
    model.hasResourceProperties('AWS::SageMaker::Endpoint', {
      EndpointName: 'reelsense',
      EndpointConfigName: { 'Fn::GetAtt': ['EndpointConfig', 'EndpointConfigName'] },
    });
  });

  it('scales the variant on invocations per instance, 1 to 4 instances, with the service-linked role', () => {
    model.hasResourceProperties('AWS::ApplicationAutoScaling::ScalableTarget', {
      ServiceNamespace: 'sagemaker',
      ScalableDimension: 'sagemaker:variant:DesiredInstanceCount',
      ResourceId: {
        'Fn::Join': ['', ['endpoint/', { 'Fn::GetAtt': ['Endpoint', 'EndpointName'] }, '/variant/AllTraffic']],
      },
      MinCapacity: 1,
      MaxCapacity: 4,
      RoleARN: {
        'Fn::Join': [
          '',
          Match.arrayWith([Match.stringLikeRegexp('AWSServiceRoleForApplicationAutoScaling_SageMakerEndpoint$')]),
        ],
      },
    });
    model.hasResourceProperties('AWS::ApplicationAutoScaling::ScalingPolicy', {
      PolicyType: 'TargetTrackingScaling',
      TargetTrackingScalingPolicyConfiguration: {
        PredefinedMetricSpecification: { PredefinedMetricType: 'SageMakerVariantInvocationsPerInstance' },
        TargetValue: 3000,
      },
    });
    model.resourceCountIs('AWS::IAM::Role', 1);
  });

  it('lets the execution role read exactly the model object, pull from the image repository and log', () => {
    const statements = statementsOf(model).map(({ statement }) => statement);
    const reads = statements.filter((s) => list(s.Action).includes('s3:GetObject'));
    expect(reads).toHaveLength(1);
    const packed = modelData();
    expect(JSON.stringify(reads[0]?.Resource)).toContain(`/${packed.asset.assetHash}.gz`);
    expect(statements).toContainEqual(
      expect.objectContaining({
        Action: ['ecr:BatchCheckLayerAvailability', 'ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'],
        Resource: { 'Fn::Join': ['', expect.arrayContaining([':repository/']) as unknown] },
      }),
    );
    expect(statements).toContainEqual(
      expect.objectContaining({
        Action: expect.arrayContaining(['logs:CreateLogStream', 'logs:PutLogEvents']) as unknown,
        Resource: { 'Fn::GetAtt': [expect.stringMatching(/^EndpointLogs/) as unknown, 'Arn'] },
      }),
    );
  });

  it("makes the endpoint's log group, with a retention, removed with the stack after the endpoint", () => {
    model.hasResource('AWS::Logs::LogGroup', {
      Properties: { LogGroupName: '/aws/sagemaker/Endpoints/reelsense', RetentionInDays: 30 },
      DeletionPolicy: 'Delete',
    });
    const [endpoint] = Object.values(model.findResources('AWS::SageMaker::Endpoint'));
    expect(endpoint?.DependsOn).toEqual([expect.stringMatching(/^EndpointLogs/)]);
  });

  it('grants * resources only where IAM has nothing narrower', () => {
    expect(wildcards(model).sort()).toEqual([
      'cloudwatch:PutMetricData on "*" (with a condition)',
      'ecr:GetAuthorizationToken on "*"',
    ]);
  });

  it('outputs the endpoint, model and model data', () => {
    for (const output of ['EndpointName', 'ModelName', 'ModelDataUrl']) model.hasOutput(output, {});
  });
});

describe('API stack', () => {
  it('runs the handler on Node.js 24 (arm64) with memory, timeout and the endpoint in its environment', () => {
    api.resourceCountIs('AWS::Lambda::Function', 1);
    api.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs24.x',
      Architectures: ['arm64'],
      Handler: 'index.handler',
      MemorySize: 512,
      Timeout: 25,
      Environment: {
        Variables: {
          SAGEMAKER_ENDPOINT_NAME: { 'Fn::ImportValue': Match.stringLikeRegexp('^ReelSenseModel:.*EndpointName') },
          REELSENSE_ALLOWED_ORIGINS: '*',
          REELSENSE_ENDPOINT_TIMEOUT_MS: '10000',
          REELSENSE_MAX_BODY_BYTES: '1048576',
          REELSENSE_MAX_REVIEW_CHARS: '20000',
          REELSENSE_MAX_REVIEWS: '64',
          REELSENSE_MAX_EXPLAINED_REVIEWS: '16',
        },
      },
    });
  });

  it('keeps a timeout above two endpoint attempts and below API Gateway 29 s', () => {
    const [fn] = Object.values(api.findResources('AWS::Lambda::Function'));
    const props = fn?.Properties as { Timeout: number; Environment: { Variables: Record<string, string> } };
    const attempt = Number(props.Environment.Variables.REELSENSE_ENDPOINT_TIMEOUT_MS) / 1000 + 1;
    expect(props.Timeout).toBeGreaterThan(2 * attempt);
    expect(props.Timeout).toBeLessThan(29);
  });

  it('logs JSON to its own log group, kept 30 days', () => {
    api.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 30 });
    api.hasResourceProperties('AWS::Lambda::Function', {
      LoggingConfig: {
        LogFormat: 'JSON',
        ApplicationLogLevel: 'INFO',
        LogGroup: { Ref: Match.stringLikeRegexp('^HandlerLogs') },
      },
    });
  });

  it('may invoke exactly the endpoint by its ARN, and write its log group: nothing else, no *', () => {
    const statements = statementsOf(api).map(({ statement }) => statement);
    expect(statements).toEqual([
      {
        Effect: 'Allow',
        Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        Resource: { 'Fn::GetAtt': [expect.stringMatching(/^HandlerLogs/) as unknown, 'Arn'] },
      },
      {
        Effect: 'Allow',
        Action: 'sagemaker:InvokeEndpoint',
        Resource: { 'Fn::ImportValue': expect.stringMatching(/^ReelSenseModel:/) as unknown },
      },
    ]);
    // The import is the model stack's export of the endpoint's ARN.
    const invoke = statements[1]?.Resource as { 'Fn::ImportValue': string };
    const outputs = Object.values(model.findOutputs('*')) as { Value: unknown; Export?: { Name: string } }[];
    const exported = outputs.find((o) => o.Export?.Name === invoke['Fn::ImportValue']);
    expect(exported?.Value).toEqual({ 'Fn::GetAtt': ['Endpoint', 'EndpointArn'] });
    expect(wildcards(api)).toEqual([]);
    api.hasResourceProperties('AWS::IAM::Role', { ManagedPolicyArns: Match.absent() });
  });

  it('has a regional REST API with POST /sentiment through Lambda proxy integration', () => {
    api.hasResourceProperties('AWS::ApiGateway::RestApi', { EndpointConfiguration: { Types: ['REGIONAL'] } });
    api.hasResourceProperties('AWS::ApiGateway::Resource', { PathPart: 'sentiment' });
    api.hasResourceProperties('AWS::ApiGateway::Method', {
      HttpMethod: 'POST',
      ApiKeyRequired: false,
      Integration: {
        Type: 'AWS_PROXY',
        IntegrationHttpMethod: 'POST',
        Uri: { 'Fn::Join': ['', Match.arrayWith([{ 'Fn::GetAtt': [Match.stringLikeRegexp('^Handler'), 'Arn'] }])] },
      },
    });
    // API Gateway may call the function for /sentiment on the stage, and only that.
    api.resourceCountIs('AWS::Lambda::Permission', 2);
    for (const method of ['/POST/sentiment', '/*/sentiment']) {
      api.hasResourceProperties('AWS::Lambda::Permission', {
        Principal: 'apigateway.amazonaws.com',
        SourceArn: { 'Fn::Join': ['', Match.arrayWith([method])] },
      });
    }
  });

  it("logs each request (JSON, no bodies) and API Gateway's errors, kept 30 days", () => {
    api.hasResourceProperties('AWS::ApiGateway::Stage', {
      AccessLogSetting: {
        DestinationArn: { 'Fn::Join': ['', Match.arrayWith([{ Ref: Match.stringLikeRegexp('^AccessLogs') }])] },
        Format: Match.stringLikeRegexp('"status":"\\$context.status"'),
      },
      MethodSettings: [Match.objectLike({ LoggingLevel: 'ERROR', DataTraceEnabled: false })],
    });
    api.hasResourceProperties('AWS::Logs::LogGroup', {
      LogGroupName: {
        'Fn::Join': ['', ['API-Gateway-Execution-Logs_', { Ref: Match.stringLikeRegexp('^Api') }, '/prod']],
      },
      RetentionInDays: 30,
    });
    // Stage logging needs the account's CloudWatch role for API Gateway; it outlives the stack.
    api.hasResource('AWS::ApiGateway::Account', { DeletionPolicy: 'Retain' });
  });

  it("sends every other method on /sentiment to the handler, for the contract's 405", () => {
    api.hasResourceProperties('AWS::ApiGateway::Method', {
      HttpMethod: 'ANY',
      Integration: Match.objectLike({ Type: 'AWS_PROXY' }),
    });
  });

  it('answers the CORS preflight itself, for any origin, POST and the two headers', () => {
    api.hasResourceProperties('AWS::ApiGateway::Method', {
      HttpMethod: 'OPTIONS',
      AuthorizationType: 'NONE',
      Integration: {
        Type: 'MOCK',
        IntegrationResponses: [
          Match.objectLike({
            ResponseParameters: {
              'method.response.header.Access-Control-Allow-Origin': "'*'",
              'method.response.header.Access-Control-Allow-Methods': "'POST,OPTIONS'",
              'method.response.header.Access-Control-Allow-Headers': "'Content-Type,X-Api-Key'",
              'method.response.header.Access-Control-Max-Age': "'600'",
            },
          }),
        ],
      },
    });
  });

  it.each([
    ['DEFAULT_4XX', undefined, '$context.error.responseType'],
    ['DEFAULT_5XX', undefined, '$context.error.responseType'],
    ['THROTTLED', undefined, 'THROTTLED'],
    ['MISSING_AUTHENTICATION_TOKEN', '404', 'NOT_FOUND'],
    ['REQUEST_TOO_LARGE', undefined, 'BODY_TOO_LARGE'],
  ])('answers API Gateway %s errors with CORS headers and the contract body', (type, status, code) => {
    api.hasResourceProperties('AWS::ApiGateway::GatewayResponse', {
      ResponseType: type,
      StatusCode: status ?? Match.absent(),
      ResponseParameters: Match.objectLike({
        'gatewayresponse.header.Access-Control-Allow-Origin': "'*'",
        'gatewayresponse.header.Access-Control-Allow-Headers': "'Content-Type, X-Api-Key'",
      }),
      ResponseTemplates: {
        'application/json': Match.stringLikeRegexp(`^\\{"error":\\{"code":"${code.replace(/\$/g, '\\$')}"`),
      },
    });
  });

  it('throttles the stage at 50 requests/s with bursts of 100', () => {
    api.hasResourceProperties('AWS::ApiGateway::Stage', {
      StageName: 'prod',
      MethodSettings: [
        Match.objectLike({ HttpMethod: '*', ResourcePath: '/*', ThrottlingRateLimit: 50, ThrottlingBurstLimit: 100 }),
      ],
    });
  });

  it('needs no API key by default', () => {
    api.resourceCountIs('AWS::ApiGateway::ApiKey', 0);
    api.resourceCountIs('AWS::ApiGateway::UsagePlan', 0);
  });

  it('outputs the invoke URL', () => {
    api.hasOutput('ApiUrl', {
      Value: { 'Fn::Join': ['', Match.arrayWith(['https://', '.execute-api.'])] },
    });
    api.hasOutput('SentimentUrl', {
      Value: { 'Fn::Join': ['', Match.arrayWith([Match.stringLikeRegexp('/sentiment$')])] },
    });
  });
});

describe('website stack', () => {
  it('keeps the bucket private: all public access blocked, TLS only, readable by CloudFront alone', () => {
    website.hasResourceProperties('AWS::S3::Bucket', {
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
    });
    const policy = Object.values(
      website.findResources('AWS::S3::BucketPolicy', {
        Properties: { Bucket: { Ref: Match.stringLikeRegexp('^SiteBucket') } },
      }),
    )[0] as {
      Properties: { PolicyDocument: { Statement: (Statement & { Principal: unknown })[] } };
    };
    const statements = policy.Properties.PolicyDocument.Statement;
    expect(statements).toContainEqual(
      expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
    );
    const allows = statements.filter((s) => s.Effect === 'Allow');
    for (const allow of allows) {
      expect(allow.Principal).not.toBe('*');
      expect(allow.Principal).not.toEqual({ AWS: '*' });
    }
    expect(allows).toContainEqual(
      expect.objectContaining({
        Action: 's3:GetObject',
        Principal: { Service: 'cloudfront.amazonaws.com' },
        Condition: { StringEquals: { 'AWS:SourceArn': expect.anything() as unknown } },
      }),
    );
  });

  it('serves it through CloudFront with origin access control, HTTPS only, index.html at the root', () => {
    website.hasResourceProperties('AWS::CloudFront::OriginAccessControl', {
      OriginAccessControlConfig: Match.objectLike({ OriginAccessControlOriginType: 's3', SigningBehavior: 'always' }),
    });
    website.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({
        DefaultRootObject: 'index.html',
        DefaultCacheBehavior: Match.objectLike({ ViewerProtocolPolicy: 'redirect-to-https' }),
        Origins: [Match.objectLike({ OriginAccessControlId: { 'Fn::GetAtt': [Match.anyValue(), 'Id'] } })],
      }),
    });
  });

  it('deploys the page with the API URL filled in at deploy time, then invalidates the cache', () => {
    // index.html's <meta name="reelsense-api-url"> holds markers that the deployment replaces with
    // the parts of the API stack's URL: its id, region, domain and stage.
    website.hasResourceProperties('Custom::CDKBucketDeployment', {
      DistributionPaths: ['/*'],
      SourceMarkers: [
        {},
        {
          '<<marker:0xbaba:0>>': { 'Fn::ImportValue': Match.stringLikeRegexp('^ReelSenseApi:.*RefApi') },
          '<<marker:0xbaba:1>>': { Ref: 'AWS::Region' },
          '<<marker:0xbaba:2>>': { Ref: 'AWS::URLSuffix' },
          '<<marker:0xbaba:3>>': { 'Fn::ImportValue': Match.stringLikeRegexp('^ReelSenseApi:.*Stage') },
        },
      ],
    });
  });

  it('writes the API URL into the page as the meta tag the page reads', () => {
    const html = withApiUrl('<html><head><title>t</title></head><body></body></html>', 'https://a.example/prod/');
    expect(html).toBe(
      '<html><head><title>t</title>  <meta name="reelsense-api-url" content="https://a.example/prod/" />\n  </head><body></body></html>',
    );
    expect(() => withApiUrl('<p>no head</p>', 'https://a.example')).toThrow(/<\/head>/);
  });

  it("logs CloudFront's requests and the page bucket's accesses to a private logs bucket, kept 30 days", () => {
    const logsBucket = Match.stringLikeRegexp('^LogsBucket');
    website.hasResourceProperties('AWS::S3::Bucket', {
      OwnershipControls: { Rules: [{ ObjectOwnership: 'ObjectWriter' }] },
      PublicAccessBlockConfiguration: Match.objectLike({ BlockPublicAcls: true, RestrictPublicBuckets: true }),
      LifecycleConfiguration: { Rules: [Match.objectLike({ ExpirationInDays: 30, Status: 'Enabled' })] },
    });
    website.hasResourceProperties('AWS::S3::Bucket', {
      LoggingConfiguration: { DestinationBucketName: { Ref: logsBucket }, LogFilePrefix: 's3/' },
    });
    website.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({
        Logging: { Bucket: { 'Fn::GetAtt': [logsBucket, 'RegionalDomainName'] }, Prefix: 'cloudfront/' },
      }),
    });
  });

  it('outputs the site URL', () => {
    website.hasOutput('SiteUrl', { Value: { 'Fn::Join': ['', ['https://', Match.anyValue()]] } });
  });
});

describe('training stack', () => {
  it('keeps a private bucket for data and models, which outlives destroy', () => {
    training.hasResource('AWS::S3::Bucket', {
      DeletionPolicy: 'Retain',
      Properties: Match.objectLike({
        PublicAccessBlockConfiguration: Match.objectLike({ BlockPublicPolicy: true, RestrictPublicBuckets: true }),
      }),
    });
  });

  it('packs model/train with a requirements.txt for the PyTorch image (no torch download) and the encoder', () => {
    const entries = tarEntries(stacks.training.source);
    expect(entries).toEqual(
      expect.arrayContaining(['train.py', 'pretrain.py', 'model.py', 'prepared.py', 'export.py', 'requirements.txt']),
    );
    // train.py finds the pretrained encoder in encoder/ beside it under SageMaker.
    expect(entries.filter((name) => name.includes('/')).sort()).toEqual(['encoder/card.json', 'encoder/encoder.pt']);
  });

  it('lets the training role read data and code, write models, pull the PyTorch image', () => {
    const statements = statementsOf(training).map(({ statement }) => statement);
    const text = JSON.stringify(statements);
    expect(text).toContain('"s3:PutObject"');
    expect(text).toContain(':repository/pytorch-training');
    expect(text).toContain('763104351884');
    expect(text).toContain(`/${stacks.training.source.asset.assetHash}.gz`);
    expect(wildcards(training).sort()).toEqual([
      'cloudwatch:PutMetricData on "*" (with a condition)',
      'ecr:GetAuthorizationToken on "*"',
    ]);
  });

  it('outputs what npm run aws:train reads', () => {
    for (const output of ['BucketName', 'DataUrl', 'OutputUrl', 'SourceUrl', 'RoleArn']) training.hasOutput(output, {});
  });
});

describe('the cloud assembly', () => {
  it('has one template per stack and no CDK metadata resource', () => {
    const templates = readdirSync(outdir).filter((file) => file.endsWith('.template.json'));
    expect(templates.sort()).toEqual(
      Object.values(STACK_NAMES)
        .map((name) => `${name}.template.json`)
        .sort(),
    );
    for (const template of [model, api, website, training]) template.resourceCountIs('AWS::CDK::Metadata', 0);
  });
});

type Statement = { Effect: string; Action: string | string[]; Condition?: unknown };
