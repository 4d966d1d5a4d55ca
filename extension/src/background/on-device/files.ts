/**
 * Where the packed model lies in the built extension (extension/build/model-files.ts puts it there,
 * packaged.ts reads it) and which files it has. No imports: the build (Node) and the extension share it.
 */
export const PACKED_MODEL_DIR = 'model';
export const MODEL_FILES = ['card.json', 'vocab.json', 'model.onnx'] as const;
