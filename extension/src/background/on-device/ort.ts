/**
 * ONNX Runtime Web, WebAssembly backend only, set up for an extension: one thread (no workers,
 * no SharedArrayBuffer, which extension service workers lack), no proxy worker. The module is
 * imported statically: MV3 service workers may not use import(), and the `onnxruntime-web/wasm`
 * bundle carries its JavaScript glue inline, so the only other file it needs is
 * `ort-wasm-simd-threaded.wasm`, which Vite packs from the package (found by its
 * `new URL(…, import.meta.url)`).
 */
import * as ort from 'onnxruntime-web/wasm';

ort.env.wasm.numThreads = 1;
ort.env.wasm.proxy = false;
// Errors only: warnings about unused initialisers would fill the service worker's console.
ort.env.logLevel = 'error';

export { ort };
