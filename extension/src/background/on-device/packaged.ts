/**
 * Reads the model artifact packed into the extension (extension/build/model-files.ts puts it
 * under `model/`, files.ts) through fetch of the extension's own URLs. Works in the service worker, in
 * Firefox's event page and in extension pages.
 */
import browser from 'webextension-polyfill';
import type { ArtifactReader } from '../../../../model/inference/artifact.ts';
import { PACKED_MODEL_DIR } from './files.ts';

export const readPackagedFile: ArtifactReader = async (name) => {
  const response = await fetch(browser.runtime.getURL(`${PACKED_MODEL_DIR}/${name}`));
  if (!response.ok) throw new Error(`${name}: HTTP ${response.status}`);
  return new Uint8Array(await response.arrayBuffer());
};
