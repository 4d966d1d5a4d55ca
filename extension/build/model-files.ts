/**
 * A Vite plugin that packs the shipped model artifact into the extension under `model/`
 * (model.onnx, vocab.json, card.json), byte for byte: the service worker (or Firefox's event
 * page) reads them with fetch(runtime.getURL('model/…')) and loadArtifact checks their sha256.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Plugin } from 'vite';
import { MODEL_FILES, PACKED_MODEL_DIR } from '../src/background/on-device/files.ts';

export function packModel(artifactDir: string): Plugin {
  return {
    name: 'reelsense:pack-model',
    apply: 'build',
    generateBundle() {
      for (const name of MODEL_FILES) {
        this.emitFile({
          type: 'asset',
          fileName: `${PACKED_MODEL_DIR}/${name}`,
          source: new Uint8Array(readFileSync(join(artifactDir, name))),
        });
      }
    },
  };
}
