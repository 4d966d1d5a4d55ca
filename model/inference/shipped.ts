/**
 * Which model ships: its version and folder, used by default everywhere (endpoint, extension
 * build, website, CDK, benchmarks). Apart from node.ts so that a process that must not load
 * onnxruntime-node (a benchmark's lexicon peer, say) can name it too. Node-only (file paths).
 */
import { fileURLToPath } from 'node:url';

export const SHIPPED_MODEL_VERSION = 'rnn-v3';
export const SHIPPED_ARTIFACT_DIR = fileURLToPath(new URL(`../artifacts/${SHIPPED_MODEL_VERSION}/`, import.meta.url));
