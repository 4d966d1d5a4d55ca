/**
 * ReelSense on AWS: the four stacks and how they connect. bin/app.ts builds it from CDK context;
 * tests build it with a test configuration.
 *
 *   ReelSenseModel    image + model data -> SageMaker Model, EndpointConfig, Endpoint, auto scaling
 *   ReelSenseApi      API Gateway POST /sentiment -> Lambda -> InvokeEndpoint (that endpoint only)
 *   ReelSenseWebsite  S3 (private) + CloudFront, the API URL written into the page at deploy time
 *   ReelSenseTraining bucket, training code and role for `npm run aws:train` (nothing runs by the hour)
 */
import type { App, Environment } from 'aws-cdk-lib';
import { CURRENTLY_RECOMMENDED_FLAGS } from 'aws-cdk-lib/cx-api';
import { ApiStack, type ApiStackProps } from './api-stack.ts';
import { ModelStack, type ModelArtifact, type ModelStackProps } from './model-stack.ts';
import { ENCODER_DIR, TRAINING_SOURCE_DIR } from './paths.ts';
import { TrainingStack } from './training-stack.ts';
import { WebsiteStack } from './website-stack.ts';

/**
 * The App's context: the feature flags `cdk init` gives a new project today, in code so that tests
 * and the CLI synthesise the same templates. One is changed: cross-stack references stay "strong"
 * (Fn::ImportValue), so CloudFormation refuses to delete the model stack while the API uses its
 * endpoint, rather than "weak" (Fn::GetStackOutput), which would let it.
 */
export const APP_CONTEXT: Readonly<Record<string, unknown>> = {
  ...CURRENTLY_RECOMMENDED_FLAGS,
  '@aws-cdk/core:defaultCrossStackReferences': 'strong',
};

/** Stack names: `cdk deploy` and the outputs file (dist/cdk-outputs.json) use them. */
export const STACK_NAMES = {
  model: 'ReelSenseModel',
  api: 'ReelSenseApi',
  website: 'ReelSenseWebsite',
  training: 'ReelSenseTraining',
} as const;

type StackOwn<P> = Omit<P, keyof import('aws-cdk-lib').StackProps>;

export interface ReelSenseConfig {
  readonly artifact: ModelArtifact;
  /** The built page (website/dist). */
  readonly siteDir: string;
  readonly model?: Omit<StackOwn<ModelStackProps>, 'artifact'>;
  readonly api?: Omit<StackOwn<ApiStackProps>, 'endpointName' | 'endpointArn'>;
  /** Account and region; default: environment-agnostic (the CLI's credentials decide at deploy). */
  readonly env?: Environment;
}

export interface ReelSenseStacks {
  readonly model: ModelStack;
  readonly api: ApiStack;
  readonly website: WebsiteStack;
  readonly training: TrainingStack;
}

export function createReelSense(app: App, config: ReelSenseConfig): ReelSenseStacks {
  const common = {
    ...(config.env === undefined ? {} : { env: config.env }),
    tags: { project: 'reelsense' },
  };
  const model = new ModelStack(app, STACK_NAMES.model, {
    ...common,
    description: 'ReelSense: the sentiment model on a SageMaker endpoint',
    artifact: config.artifact,
    ...config.model,
  });
  const api = new ApiStack(app, STACK_NAMES.api, {
    ...common,
    description: 'ReelSense: the public API (API Gateway, Lambda)',
    endpointName: model.endpointName,
    endpointArn: model.endpointArn,
    ...config.api,
  });
  const website = new WebsiteStack(app, STACK_NAMES.website, {
    ...common,
    description: 'ReelSense: the web page (S3, CloudFront)',
    apiUrl: api.url,
    siteDir: config.siteDir,
  });
  const training = new TrainingStack(app, STACK_NAMES.training, {
    ...common,
    description: 'ReelSense: what SageMaker training jobs need (bucket, code, role)',
    sourceDir: TRAINING_SOURCE_DIR,
    encoderDir: ENCODER_DIR,
  });
  return { model, api, website, training };
}
