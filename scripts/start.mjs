/**
 * `npm start`: installs what is missing, then brings up ReelSense's local stack (see
 * scripts/local-stack.ts): the endpoint server with the shipped model, the local gateway and
 * the web page. Ctrl-C stops everything.
 */
import { join } from 'node:path';
import { ROOT, ensureNodeModules, run } from './bootstrap.mjs';

ensureNodeModules();
// Ctrl-C reaches the stack too; this process waits for it to shut down cleanly.
process.on('SIGINT', () => {});
process.on('SIGTERM', () => {});
process.exit(run(join(ROOT, 'node_modules', '.bin', 'tsx'), [join(ROOT, 'scripts', 'local-stack.ts')]));
