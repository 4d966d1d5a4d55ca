/**
 * `npm start`: installs what is missing, then brings up ReelSense's main job. Today that is
 * the prepared training data (downloaded and encoded on first run, reused after); the local
 * stack (endpoint server, gateway, website, extension build) joins it as it is built.
 */
import { join } from 'node:path';
import { ROOT, ensureNodeModules, run } from './bootstrap.mjs';

ensureNodeModules();
const code = run(join(ROOT, 'node_modules', '.bin', 'tsx'), [
  join(ROOT, 'model', 'prepare', 'cli.ts'),
  ...process.argv.slice(2),
]);
process.exit(code);
