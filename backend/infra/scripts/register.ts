/**
 * Registers a trained model as the one the stack deploys: the `modelDataUrl` key of
 * backend/infra/cdk.context.json, which the CDK CLI reads as context (lib/config.ts).
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { ReelSenseError } from '../../../common/errors.ts';

export const MODEL_DATA_URL_KEY = 'modelDataUrl';

export function registerModel(contextFile: string, modelDataUrl: string): void {
  let context: Record<string, unknown> = {};
  if (existsSync(contextFile)) {
    try {
      context = JSON.parse(readFileSync(contextFile, 'utf8')) as Record<string, unknown>;
    } catch (error) {
      throw new ReelSenseError('BAD_CONTEXT', `${contextFile} is not JSON; fix or remove it, then register again.`, {
        cause: error,
      });
    }
  }
  context[MODEL_DATA_URL_KEY] = modelDataUrl;
  writeFileSync(contextFile, `${JSON.stringify(context, null, 2)}\n`);
}
