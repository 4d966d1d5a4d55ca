/**
 * The public API: API Gateway (REST) `POST /sentiment` -> the Lambda handler (backend/api/handler.ts,
 * bundled by esbuild on this machine) -> InvokeEndpoint on the one SageMaker endpoint. CORS on the
 * preflight, on every answer of the handler and on API Gateway's own errors; stage throttling; an
 * optional API key with a usage plan; access and error logs of the stage. The cdk-nag findings
 * that stay are suppressed below, next to their resources, each with its reason.
 */
import { CfnOutput, Duration, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import { NagSuppressions } from 'cdk-nag';
import type { Construct } from 'constructs';
import { DEFAULT_LIMITS, type Limits } from '../../../public-api/contract.ts';
import { HANDLER_ENTRY, REPO_ROOT, repoPath } from './paths.ts';

/** Every client must present an API key; the usage plan throttles each key. */
export interface ApiKeyOptions {
  /** Requests per second per key. Default: the stage's rate. */
  readonly rateLimit?: number;
  readonly burstLimit?: number;
  /** Requests per key per day; default no quota. */
  readonly quotaPerDay?: number;
}

export interface ApiStackProps extends StackProps {
  /** The SageMaker endpoint's name and ARN (ModelStack). */
  readonly endpointName: string;
  readonly endpointArn: string;
  /**
   * Origins allowed by CORS. Default `['*']`: the API is public, carries no cookies or credentials,
   * and the extension calls it from content scripts whose origin is the review site's (IMDb, ...).
   * A list of exact origins (`https://dxxxx.cloudfront.net`, `chrome-extension://<id>`) narrows it.
   */
  readonly allowedOrigins?: readonly string[];
  /** Stage throttling, requests per second and burst. Default 50 and 100. */
  readonly throttlingRateLimit?: number;
  readonly throttlingBurstLimit?: number;
  /** Set to require an API key (the website and the extension then need one too). */
  readonly apiKey?: ApiKeyOptions;
  /** Default 512 MB (Lambda's CPU share grows with memory; JSON parsing of 1 MiB bodies wants some). */
  readonly memorySize?: number;
  /** How long one attempt to reach the endpoint may take (the handler tries twice). Default 10 s. */
  readonly endpointTimeout?: Duration;
  /** Default 25 s: above two endpoint attempts (2 x (1 s connect + 10 s)), below API Gateway's 29 s. */
  readonly timeout?: Duration;
  readonly logRetention?: logs.RetentionDays;
  /** The request limits (public-api/contract.ts), as the handler's REELSENSE_MAX_* variables. */
  readonly limits?: Partial<Limits>;
  /** Default `prod`: the invoke URL ends with it. */
  readonly stageName?: string;
  /**
   * Default true: create API Gateway's account-level CloudWatch Logs role (AWS::ApiGateway::Account),
   * without which no stage in the account may log. False where the account already has one (an
   * organisation's baseline, another stack): this stack would replace that setting.
   */
  readonly accountLogRole?: boolean;
}

/** API Gateway's hard limit for an integration's answer. */
const GATEWAY_TIMEOUT = Duration.seconds(29);
const CONNECT_TIMEOUT = Duration.seconds(1);
const ALLOWED_METHODS = ['POST', 'OPTIONS'];
const ALLOWED_HEADERS = ['Content-Type', 'X-Api-Key'];

export class ApiStack extends Stack {
  readonly api: apigw.RestApi;
  readonly handler: NodejsFunction;
  /** The invoke URL, `https://{id}.execute-api.{region}.amazonaws.com/{stage}/`. */
  readonly url: string;

  constructor(scope: Construct, id: string, props: ApiStackProps) {
    super(scope, id, props);
    const origins = checkOrigins(props.allowedOrigins ?? ['*']);
    this.handler = this.createHandler(props, origins);
    this.api = this.createApi(props, origins);
    this.url = this.api.url;
    new CfnOutput(this, 'ApiUrl', { value: this.api.url, description: 'The invoke URL of the public API' });
    new CfnOutput(this, 'SentimentUrl', { value: `${this.api.url}sentiment`, description: 'POST reviews here' });
  }

  private createHandler(props: ApiStackProps, origins: readonly string[]): NodejsFunction {
    const endpointTimeout = props.endpointTimeout ?? Duration.seconds(10);
    const timeout = props.timeout ?? Duration.seconds(25);
    const worstCase = 2 * (endpointTimeout.toMilliseconds() + CONNECT_TIMEOUT.toMilliseconds());
    if (timeout.toMilliseconds() <= worstCase || timeout.toMilliseconds() >= GATEWAY_TIMEOUT.toMilliseconds()) {
      throw new Error(
        `ApiStack: the Lambda timeout (${timeout.toSeconds()} s) must be above two endpoint attempts ` +
          `(${worstCase / 1000} s) and below API Gateway's ${GATEWAY_TIMEOUT.toSeconds()} s.`,
      );
    }
    const logGroup = new logs.LogGroup(this, 'HandlerLogs', {
      retention: props.logRetention ?? logs.RetentionDays.ONE_MONTH,
      // `npm run destroy` takes everything with it.
      removalPolicy: RemovalPolicy.DESTROY,
    });
    // An own role rather than AWSLambdaBasicExecutionRole (logs on every group, `*`): it may write
    // to its log group and invoke its endpoint, nothing else.
    const role = new iam.Role(this, 'HandlerRole', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: 'ReelSense API handler: writes its log group, invokes its SageMaker endpoint.',
    });
    logGroup.grantWrite(role);
    role.addToPolicy(
      new iam.PolicyStatement({ actions: ['sagemaker:InvokeEndpoint'], resources: [props.endpointArn] }),
    );
    const limits = { ...DEFAULT_LIMITS, ...props.limits };
    return new NodejsFunction(this, 'Handler', {
      entry: HANDLER_ENTRY,
      handler: 'handler',
      projectRoot: REPO_ROOT,
      depsLockFilePath: repoPath('package-lock.json'),
      // The newest Node.js Lambda runs (cdk-nag L1); the handler is async, as Node.js 24 requires.
      runtime: lambda.Runtime.NODEJS_24_X,
      // Graviton: about 20% cheaper per GB-second than x86 for the same work; the bundle is plain JavaScript.
      architecture: lambda.Architecture.ARM_64,
      memorySize: props.memorySize ?? 512,
      timeout,
      role,
      logGroup,
      // The handler writes one JSON object per line with a "level" field: Lambda keeps it as is and filters by level.
      loggingFormat: lambda.LoggingFormat.JSON,
      applicationLogLevelV2: lambda.ApplicationLogLevel.INFO,
      systemLogLevelV2: lambda.SystemLogLevel.WARN,
      environment: {
        SAGEMAKER_ENDPOINT_NAME: props.endpointName,
        REELSENSE_ALLOWED_ORIGINS: origins.join(','),
        REELSENSE_ENDPOINT_TIMEOUT_MS: String(endpointTimeout.toMilliseconds()),
        REELSENSE_MAX_BODY_BYTES: String(limits.maxBodyBytes),
        REELSENSE_MAX_REVIEW_CHARS: String(limits.maxReviewChars),
        REELSENSE_MAX_REVIEWS: String(limits.maxReviews),
        REELSENSE_MAX_EXPLAINED_REVIEWS: String(limits.maxExplainedReviews),
        NODE_OPTIONS: '--enable-source-maps',
      },
      bundling: {
        // esbuild from node_modules, never Docker; tests/backend/infra loads this very bundle.
        forceDockerBundling: false,
        format: OutputFormat.CJS,
        target: 'node24',
        minify: true,
        sourceMap: true,
        sourcesContent: false,
        // The handler relies on SDK features newer than the runtime's copy (throwOnRequestTimeout): bundle it.
        bundleAwsSDK: true,
        externalModules: [],
      },
    });
  }

  private createApi(props: ApiStackProps, origins: readonly string[]): apigw.RestApi {
    const retention = props.logRetention ?? logs.RetentionDays.ONE_MONTH;
    const accessLogs = new logs.LogGroup(this, 'AccessLogs', { retention, removalPolicy: RemovalPolicy.DESTROY });
    const accountLogRole = props.accountLogRole ?? true;
    const stageName = props.stageName ?? 'prod';
    const api = new apigw.RestApi(this, 'Api', {
      restApiName: 'reelsense',
      description: 'ReelSense: is this movie review positive or negative? POST /sentiment',
      endpointConfiguration: { types: [apigw.EndpointType.REGIONAL] },
      // A stage may log only once the account names a CloudWatch role for API Gateway. It is an
      // account-wide setting, so it is kept when the stack goes (other APIs may log through it).
      cloudWatchRole: accountLogRole,
      ...(accountLogRole ? { cloudWatchRoleRemovalPolicy: RemovalPolicy.RETAIN } : {}),
      deployOptions: {
        stageName,
        throttlingRateLimit: props.throttlingRateLimit ?? 50,
        throttlingBurstLimit: props.throttlingBurstLimit ?? 100,
        metricsEnabled: true,
        // One JSON line per request: who (IP), what (method, path, status, size), when. Never bodies.
        accessLogDestination: new apigw.LogGroupLogDestination(accessLogs),
        accessLogFormat: apigw.AccessLogFormat.jsonWithStandardFields({
          caller: false,
          httpMethod: true,
          ip: true,
          protocol: true,
          requestTime: true,
          resourcePath: true,
          responseLength: true,
          status: true,
          user: false,
        }),
        // Execution logs for API Gateway's own failures (integration errors, timeouts), without
        // request or response data: review text is never logged.
        loggingLevel: apigw.MethodLoggingLevel.ERROR,
        dataTraceEnabled: false,
      },
    });
    // The group API Gateway writes execution logs to, made before the stage so that it has a
    // retention and goes with `npm run destroy` (API Gateway would make it on first use, kept forever).
    const executionLogs = new logs.LogGroup(this, 'ExecutionLogs', {
      logGroupName: `API-Gateway-Execution-Logs_${api.restApiId}/${stageName}`,
      retention,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    api.deploymentStage.node.addDependency(executionLogs);
    const sentiment = api.root.addResource('sentiment', {
      // The preflight is answered by API Gateway itself (a mock integration): no Lambda call.
      defaultCorsPreflightOptions: {
        allowOrigins: [...origins],
        allowMethods: ALLOWED_METHODS,
        allowHeaders: ALLOWED_HEADERS,
        maxAge: Duration.minutes(10),
      },
    });
    const integration = new apigw.LambdaIntegration(this.handler, { proxy: true, allowTestInvoke: false });
    sentiment.addMethod('POST', integration, { apiKeyRequired: props.apiKey !== undefined });
    // Every other method goes to the handler too, which answers the contract's 405 with `Allow`
    // (as the local gateway does) rather than API Gateway's 403 "Missing Authentication Token".
    sentiment.addMethod('ANY', integration, { apiKeyRequired: props.apiKey !== undefined });
    this.addGatewayResponses(api, origins);
    if (props.apiKey !== undefined) this.addUsagePlan(api, props, props.apiKey);
    this.suppressApiFindings(api);
    return api;
  }

  /**
   * cdk-nag findings on the API that are choices, not oversights (backend/infra/README.md, "cdk-nag").
   */
  private suppressApiFindings(api: apigw.RestApi): void {
    NagSuppressions.addResourceSuppressions(api, [
      {
        id: 'AwsSolutions-APIG2',
        reason:
          'The handler validates every request: the contract answers bad input with its own JSON errors ' +
          '(400/413/415, each with a code), accepts text/plain and bodies without a content type, and checks ' +
          'limits before any model work. An API Gateway model would answer 400 with other bodies where the ' +
          'contract says 413 or 415, and the API has no required parameters to validate.',
      },
    ]);
    NagSuppressions.addResourceSuppressions(api.deploymentStage, [
      {
        id: 'AwsSolutions-APIG3',
        reason:
          'No WAF web ACL: the API is throttled per stage (and per key with apiKey), serves no private data ' +
          'and stores nothing; a web ACL adds a monthly charge. Attach one to the stage if abuse appears.',
      },
    ]);
    // The CORS preflight (OPTIONS) is not flagged: browsers send it without credentials.
    for (const method of api.methods.filter((m) => m.httpMethod !== 'OPTIONS')) {
      NagSuppressions.addResourceSuppressions(method, [
        {
          id: 'AwsSolutions-APIG4',
          reason:
            'Public and unauthenticated by design: the API is the product, called by the website and the ' +
            'extension for anyone. Abuse is bounded by stage throttling, and the apiKey setting requires an ' +
            'API key with a usage plan (throttle and quota per key).',
        },
        {
          id: 'AwsSolutions-COG4',
          reason:
            'No user accounts exist: the API is public by design (see APIG4); there is no Cognito user pool ' +
            'to authorise against. The optional API key is the access control.',
        },
      ]);
    }
    const cloudWatchRole = api.node.tryFindChild('CloudWatchRole');
    if (cloudWatchRole !== undefined) {
      NagSuppressions.addResourceSuppressions(cloudWatchRole, [
        {
          id: 'AwsSolutions-IAM4',
          reason:
            "API Gateway's account logging role uses AmazonAPIGatewayPushToCloudWatchLogs, the managed policy AWS " +
            'made for this one purpose: API Gateway (its only principal) writes every API and stage of the ' +
            'account to log groups it names, so there is no narrower resource to write a policy for.',
          appliesTo: ['Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs'],
        },
      ]);
    }
  }

  /**
   * API Gateway's own errors (throttled, unknown path, its 5xx) in the contract's shape, with CORS
   * headers so a browser lets the page read them. With several allowed origins the request's Origin
   * is echoed: these bodies carry nothing but the error.
   */
  private addGatewayResponses(api: apigw.RestApi, origins: readonly string[]): void {
    const allowOrigin = origins.length === 1 ? `'${origins[0] ?? '*'}'` : 'method.request.header.origin';
    const headers = {
      'Access-Control-Allow-Origin': allowOrigin,
      'Access-Control-Allow-Methods': `'${ALLOWED_METHODS.join(', ')}'`,
      'Access-Control-Allow-Headers': `'${ALLOWED_HEADERS.join(', ')}'`,
      ...(origins.length === 1 ? {} : { Vary: "'Origin'" }),
    };
    const body = (code: string, message: string): Record<string, string> => ({
      'application/json': `{"error":{"code":"${code}","message":${message}}}`,
    });
    const responses: [string, apigw.ResponseType, apigw.GatewayResponseOptions['templates'], string?][] = [
      [
        'Default4xx',
        apigw.ResponseType.DEFAULT_4XX,
        body('$context.error.responseType', '$context.error.messageString'),
      ],
      [
        'Default5xx',
        apigw.ResponseType.DEFAULT_5XX,
        body('$context.error.responseType', '$context.error.messageString'),
      ],
      ['Throttled', apigw.ResponseType.THROTTLED, body('THROTTLED', '"Too many requests; try again in a second."')],
      ['QuotaExceeded', apigw.ResponseType.QUOTA_EXCEEDED, body('THROTTLED', '"This API key has used its quota."')],
      // REST APIs answer an unknown path with 403 "Missing Authentication Token" (this API uses no IAM auth).
      [
        'NotFound',
        apigw.ResponseType.MISSING_AUTHENTICATION_TOKEN,
        body('NOT_FOUND', '"There is nothing here; send POST /sentiment."'),
        '404',
      ],
      ['TooLarge', apigw.ResponseType.REQUEST_TOO_LARGE, body('BODY_TOO_LARGE', '"The body is too large."')],
    ];
    for (const [id, type, templates, statusCode] of responses) {
      const throttled = type === apigw.ResponseType.THROTTLED || type === apigw.ResponseType.QUOTA_EXCEEDED;
      api.addGatewayResponse(id, {
        type,
        responseHeaders: throttled ? { ...headers, 'Retry-After': "'1'" } : headers,
        ...(templates === undefined ? {} : { templates }),
        ...(statusCode === undefined ? {} : { statusCode }),
      });
    }
  }

  private addUsagePlan(api: apigw.RestApi, props: ApiStackProps, options: ApiKeyOptions): void {
    const key = api.addApiKey('ApiKey', { description: 'ReelSense API key' });
    const plan = api.addUsagePlan('UsagePlan', {
      description: 'ReelSense: throttling per API key',
      throttle: {
        rateLimit: options.rateLimit ?? props.throttlingRateLimit ?? 50,
        burstLimit: options.burstLimit ?? props.throttlingBurstLimit ?? 100,
      },
      ...(options.quotaPerDay === undefined ? {} : { quota: { limit: options.quotaPerDay, period: apigw.Period.DAY } }),
      // `as`: aws-cdk-lib's classes and exactOptionalPropertyTypes disagree on optional members.
      apiStages: [{ api: api as apigw.IRestApi, stage: api.deploymentStage }],
    });
    plan.addApiKey(key);
    new CfnOutput(this, 'ApiKeyId', {
      value: key.keyId,
      description: 'aws apigateway get-api-key --include-value --api-key <id> shows the key',
    });
  }
}

/** `*` alone, or exact origins as browsers send them (scheme://host[:port], no path). */
function checkOrigins(origins: readonly string[]): readonly string[] {
  if (origins.length === 0) throw new Error('ApiStack: allowedOrigins is empty; use ["*"] to allow all.');
  if (origins.includes('*')) {
    if (origins.length > 1) throw new Error('ApiStack: allowedOrigins takes "*" alone or a list of origins.');
    return origins;
  }
  for (const origin of origins) {
    if (!/^(https?|chrome-extension|moz-extension):\/\/[^/*\s]+$/.test(origin)) {
      throw new Error(
        `ApiStack: "${origin}" is not an exact origin (scheme://host[:port]); API Gateway takes no wildcards.`,
      );
    }
  }
  return origins;
}
