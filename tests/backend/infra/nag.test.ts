/**
 * cdk-nag's AwsSolutions rules on the whole app, as bin/app.ts builds it: with the defaults and with
 * every optional branch on (the variants `npm test -- --only=cfn` lints). Every finding is fixed or
 * suppressed next to its resource with a reason; a new one fails here with its rule, resource path
 * and message. No asset is bundled (the rules read the templates only).
 */
import { rmSync } from 'node:fs';
import type { App } from 'aws-cdk-lib';
import type { INagLogger, NagLoggerNonComplianceData } from 'cdk-nag';
import { afterEach, describe, expect, it } from 'vitest';
import { configFromContext } from '../../../backend/infra/lib/config.ts';
import { addNagChecks } from '../../../backend/infra/lib/nag.ts';
import { createReelSense } from '../../../backend/infra/lib/reelsense.ts';
import { testApp, testSiteDir } from './helpers.ts';

const VARIANTS: Record<string, Record<string, string>> = {
  defaults: {},
  'every option': {
    serverless: 'true',
    apiKey: 'true',
    apiKeyQuotaPerDay: '10000',
    allowedOrigins: 'https://reelsense.example,chrome-extension://abcdefghijklmnopabcdefghijklmnop',
    modelDataUrl: 's3://reelsense-example/models/reelsense-20260101-000000/output/model.tar.gz',
  },
  'no account log role': { apiGatewayAccountRole: 'false' },
};

interface NagRun {
  /** Unsuppressed findings and rule errors, one line each: rule, resource path, message. */
  readonly findings: string[];
  /** Suppressed findings with their reasons. */
  readonly suppressed: { rule: string; path: string; reason: string }[];
}

const apps: App[] = [];
afterEach(() => {
  for (const app of apps.splice(0)) rmSync(app.outdir, { recursive: true, force: true });
});

function runNag(context: Record<string, string>): NagRun {
  const app = testApp({ context });
  apps.push(app);
  createReelSense(app, { ...configFromContext(app), siteDir: testSiteDir(app.outdir) });
  const run: NagRun = { findings: [], suppressed: [] };
  const line = (data: NagLoggerNonComplianceData): string =>
    `${data.ruleId}${data.findingId === '' ? '' : `[${data.findingId}]`} on ${data.resource.node.path}: ${data.ruleInfo}`;
  const ignore = (): void => undefined;
  const logger: INagLogger = {
    onCompliance: ignore,
    onNotApplicable: ignore,
    onNonCompliance: (data) => run.findings.push(line(data)),
    onError: (data) =>
      run.findings.push(`${data.ruleId} on ${data.resource.node.path}: the rule failed: ${data.errorMessage}`),
    onSuppressed: (data) =>
      run.suppressed.push({ rule: data.ruleId, path: data.resource.node.path, reason: data.suppressionReason }),
    onSuppressedError: (data) =>
      run.findings.push(`${data.ruleId} on ${data.resource.node.path}: the rule failed: ${data.errorMessage}`),
  };
  addNagChecks(app, { loggers: [logger], reports: false });
  try {
    app.synth();
  } catch (error) {
    // cdk-nag's annotations make synth fail on a finding; the logger has listed them already.
    if (run.findings.length === 0) throw error;
  }
  return run;
}

describe.each(Object.entries(VARIANTS))('cdk-nag AwsSolutions on the app (%s)', (_name, context) => {
  it('finds nothing that is neither fixed nor suppressed with a reason', () => {
    const { findings, suppressed } = runNag(context);
    expect(findings, `unsuppressed cdk-nag findings:\n${findings.join('\n')}`).toEqual([]);
    for (const { rule, path, reason } of suppressed) {
      expect(reason.length, `${rule} on ${path} needs a reason a reviewer can check`).toBeGreaterThanOrEqual(40);
    }
  });
});
