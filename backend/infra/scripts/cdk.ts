/**
 * npm run synth | deploy | destroy [-- CDK CLI options]
 *
 * Builds the page (website/dist, which the website stack uploads), then runs the CDK CLI in
 * backend/infra with every call home switched off (cdk.json: no notices, no version reporting,
 * no telemetry; here: no version check). synth needs no AWS account, credentials or network.
 *
 *   synth    cdk synth: every stack's template in backend/infra/dist/cdk.out
 *   deploy   cdk deploy --all: builds the endpoint image with Docker, uploads the assets, creates
 *            the stacks, writes their outputs to backend/infra/dist/cdk-outputs.json
 *   destroy  cdk destroy --all (the training bucket is kept: it says how to delete it)
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { DEPLOY_OUTPUTS_FILE, INFRA_DIR, REPO_ROOT } from '../lib/paths.ts';
import { STACK_NAMES } from '../lib/reelsense.ts';
import { readDeployOutputs } from './cli.ts';

const DEFAULT_ARGS: Readonly<Record<string, readonly string[]>> = {
  synth: ['--quiet'],
  deploy: ['--all', '--outputs-file', 'dist/cdk-outputs.json'],
  destroy: ['--all'],
};

const bin = (name: string): string => join(REPO_ROOT, 'node_modules', '.bin', name);

function run(command: string, args: readonly string[], cwd: string): number {
  const env = { ...process.env, CDK_DISABLE_VERSION_CHECK: '1', CDK_DISABLE_CLI_TELEMETRY: 'true' };
  const result = spawnSync(command, args, { cwd, stdio: 'inherit', env });
  if (result.error) throw result.error;
  return result.status ?? 1;
}

const [command = '', ...rest] = process.argv.slice(2);
const defaults = DEFAULT_ARGS[command];
if (defaults === undefined) {
  process.stderr.write(
    `usage: tsx backend/infra/scripts/cdk.ts ${Object.keys(DEFAULT_ARGS).join('|')} [cdk options]\n`,
  );
  process.exit(2);
}
process.stderr.write('Building the page (website/dist) for the website stack...\n');
let code = run(bin('vite'), ['build', '--config', 'website/vite.config.ts', '--logLevel', 'warn'], REPO_ROOT);
if (code === 0) code = run(bin('cdk'), [command, ...defaults, ...rest], INFRA_DIR);
if (code === 0 && command === 'synth') {
  process.stderr.write('Templates and assets: backend/infra/dist/cdk.out\n');
}
if (code === 0 && command === 'destroy') {
  const bucket = readDeployOutputs(DEPLOY_OUTPUTS_FILE)[STACK_NAMES.training]?.BucketName ?? '<the training bucket>';
  process.stderr.write(
    `The training bucket (prepared data, trained models) is kept on purpose. To delete it too:\n` +
      `  aws s3 rb s3://${bucket} --force\n`,
  );
}
process.exit(code);
