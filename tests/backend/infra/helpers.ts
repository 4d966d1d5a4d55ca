/**
 * The CDK app for tests: synthesised offline into a temporary folder, with bin/app.ts's context
 * (feature flags), a stand-in page (the templates do not depend on the page's contents) and CDK's
 * own template validation off
 * (`npm test -- --only=cfn` lints the templates with cfn-lint instead).
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { Stack } from 'aws-cdk-lib';
import { APP_CONTEXT } from '../../../backend/infra/lib/reelsense.ts';

/** A folder in `parent` (an app's outdir, removed with it) with the smallest page the website stack accepts. */
export function testSiteDir(parent: string): string {
  const dir = join(parent, 'test-site');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'index.html'), '<!doctype html><html><head><title>ReelSense</title></head></html>\n');
  return dir;
}

/**
 * An App writing to a fresh temporary folder. `bundle` names the stacks whose assets are bundled
 * (esbuild for the Lambda, tar for model data and training code); the others skip it, as
 * `cdk synth --exclusively` does, which keeps tests that only read templates fast.
 */
export function testApp(options: { bundle?: readonly string[]; context?: Record<string, unknown> } = {}): App {
  return new App({
    outdir: mkdtempSync(join(tmpdir(), 'reelsense-cdk-')),
    analyticsReporting: false,
    builtinCloudFormationValidation: false,
    context: { ...APP_CONTEXT, 'aws:cdk:bundling-stacks': [...(options.bundle ?? [])], ...options.context },
  });
}

export const templateOf = (stack: Stack): Template => Template.fromStack(stack);

/** Every IAM policy statement of a template, with its policy's logical id. */
export function statementsOf(template: Template): { policy: string; statement: Statement }[] {
  return Object.entries(template.findResources('AWS::IAM::Policy')).flatMap(([policy, resource]) =>
    (
      resource as { Properties: { PolicyDocument: { Statement: Statement[] } } }
    ).Properties.PolicyDocument.Statement.map((statement) => ({ policy, statement })),
  );
}

export interface Statement {
  readonly Effect: string;
  readonly Action: string | string[];
  readonly Resource: unknown;
  readonly Condition?: Record<string, unknown>;
}

export const list = <T>(value: T | T[]): T[] => (Array.isArray(value) ? value : [value]);
