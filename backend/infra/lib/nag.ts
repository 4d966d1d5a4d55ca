/**
 * cdk-nag's AwsSolutions rules on the whole app: bin/app.ts adds them so that `npm run synth` and
 * `npm run deploy` stop on an unsuppressed finding, and tests/backend/infra/nag.test.ts runs them
 * with a logger that lists each one. Findings that are choices are suppressed in the stacks, next
 * to their resources, each with its reason (backend/infra/README.md, "cdk-nag").
 */
import { Aspects } from 'aws-cdk-lib';
import { AwsSolutionsChecks, type INagLogger } from 'cdk-nag';
import type { IConstruct } from 'constructs';

export interface NagOptions {
  /** Called for each rule and resource, besides cdk-nag's own annotations. */
  readonly loggers?: readonly INagLogger[];
  /** Write `AwsSolutions-<stack>-NagReport.csv` into the cloud assembly. Default true. */
  readonly reports?: boolean;
}

export function addNagChecks(scope: IConstruct, options: NagOptions = {}): void {
  Aspects.of(scope).add(
    new AwsSolutionsChecks({ additionalLoggers: [...(options.loggers ?? [])], reports: options.reports ?? true }),
  );
}
