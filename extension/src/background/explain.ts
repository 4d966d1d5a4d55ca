/**
 * What decided a text's verdict, the way the settings say: on-device (model/inference/explain.ts
 * in this background, through the model's queue), or through the API with `"explain": true`,
 * which runs the same code on the server and answers the same spans. Either way the answer is a
 * Classification of one result that carries its `explanation`, spans of exactly `text`. When the
 * API cannot be used (or the text is over its limit), the text is explained on-device, with a note.
 */
import { analyse, ApiFailure } from '../../../public-api/client.ts';
import { DEFAULT_LIMITS } from '../../../public-api/contract.ts';
import type { Classification } from '../common/messages/types.ts';
import { loadSettings } from '../common/settings/storage.ts';
import { explainOnDevice } from './on-device/scorer.ts';
import { REQUEST_TIMEOUT_MS } from './via-api/scorer.ts';

export async function explainText(text: string): Promise<Classification> {
  const settings = await loadSettings();
  let note: string | undefined;
  if (settings.mode === 'api') {
    if (text.length > DEFAULT_LIMITS.maxReviewChars) {
      note = `The text is over the API's ${DEFAULT_LIMITS.maxReviewChars.toLocaleString('en-US')}-character limit and was scored on-device.`;
    } else {
      try {
        const { results, model } = await analyse(settings.apiUrl, text, {
          explain: true,
          timeoutMs: REQUEST_TIMEOUT_MS,
          ...(settings.apiKey !== '' && { apiKey: settings.apiKey }),
        });
        return { results, model, scorer: 'api' };
      } catch (error) {
        const reason = error instanceof ApiFailure ? error.message : 'the request failed.';
        // The words of the classify fallback (via-api/scorer.ts): the same thing happened.
        note = `The API could not be used, so ReelSense scored on-device: ${reason}`;
      }
    }
  }
  const { result, model } = await explainOnDevice(text);
  return { results: [result], model, scorer: 'on-device', ...(note !== undefined && { note }) };
}
