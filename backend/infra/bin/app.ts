/**
 * The CDK app: `npm run synth`, `npm run deploy`, `npm run destroy` (backend/infra/scripts/cdk.ts
 * runs the CDK CLI here with cdk.json). Settings come from CDK context: backend/infra/README.md.
 */
import { App } from 'aws-cdk-lib';
import { configFromContext } from '../lib/config.ts';
import { addNagChecks } from '../lib/nag.ts';
import { APP_CONTEXT, createReelSense } from '../lib/reelsense.ts';

// No AWS::CDK::Metadata resource: nothing about this app is reported anywhere. Context given on the
// command line (-c) or in cdk.context.json wins over APP_CONTEXT.
const app = new App({ analyticsReporting: false, context: { ...APP_CONTEXT } });
const account = process.env.CDK_DEFAULT_ACCOUNT;
const region = process.env.CDK_DEFAULT_REGION;
createReelSense(app, {
  ...configFromContext(app),
  ...(account === undefined || region === undefined ? {} : { env: { account, region } }),
});
// cdk-nag's AwsSolutions rules: an unsuppressed finding is an error, which stops synth and deploy.
addNagChecks(app);
app.synth();
