/**
 * `npm run pretrain [-- pretrain.py options]`: installs what is missing, prepares the ids of the
 * training and the 50,000 unlabelled reviews (model/prepared/lm, reviews kept whole up to 4,096
 * tokens), then pretrains the encoder (model/train/pretrain.py), which resumes from its last
 * checkpoint in ~/.cache/reelsense/pretrain and writes model/artifacts/encoder/.
 * Ctrl-C stops it cleanly; the same command continues.
 *
 *   npm run pretrain
 *   npm run pretrain -- --max_minutes=60      # an hour now, the rest later
 */
import { join } from 'node:path';
import { ROOT, VENV_PYTHON, ensureNodeModules, ensurePythonVenv, run } from './bootstrap.mjs';

export const LM_PREPARED = join('model', 'prepared', 'lm');

ensureNodeModules();
ensurePythonVenv();
// The child handles the signal (it saves a checkpoint); this process waits for it.
process.on('SIGINT', () => {});
process.on('SIGTERM', () => {});
const tsx = join(ROOT, 'node_modules', '.bin', 'tsx');
const prepare = run(tsx, [
  join(ROOT, 'model', 'prepare', 'cli.ts'),
  '--with-unsup',
  '--max-length',
  '4096',
  '--out',
  LM_PREPARED,
]);
if (prepare !== 0) process.exit(prepare);
process.exit(
  run(VENV_PYTHON, [
    join(ROOT, 'model', 'train', 'pretrain.py'),
    `--data_dir=${LM_PREPARED}`,
    ...process.argv.slice(2),
  ]),
);
