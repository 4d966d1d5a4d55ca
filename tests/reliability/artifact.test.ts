/**
 * A bad model artifact at start-up: the endpoint server refuses it with the error code and a
 * sentence naming the file and the problem, keeps answering 503 MODEL_NOT_READY meanwhile, and
 * the command exits 1 instead of serving. Each case damages a copy of the tiny artifact. (A byte
 * flipped in model.onnx and a missing model.onnx in-process are in tests/backend/endpoint/.)
 */
import { createHash } from 'node:crypto';
import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, it } from 'vitest';
import { startEndpointServer } from '../../backend/endpoint/server.ts';
import { freePort } from '../helpers/ports.ts';
import { exitWithin } from '../../scripts/local-stack.ts';
import { killAll, startCli, TINY } from './processes.ts';

const OTHER_VOCAB = fileURLToPath(new URL('../../model/artifacts/seed-lstm/vocab.json', import.meta.url));

const dirs: string[] = [];
afterAll(async () => {
  killAll();
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

type Damage = (dir: string) => Promise<void>;

async function damagedCopy(damage: Damage): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'reelsense-artifact-'));
  dirs.push(dir);
  for (const name of ['model.onnx', 'vocab.json', 'card.json']) await copyFile(join(TINY, name), join(dir, name));
  await damage(dir);
  return dir;
}

async function editJson(path: string, edit: (value: Record<string, unknown>) => void): Promise<void> {
  const value = JSON.parse(await readFile(path, 'utf8')) as Record<string, unknown>;
  edit(value);
  await writeFile(path, JSON.stringify(value));
}

/** Writes the file's real sha256 into card.json, as someone covering their tracks would. */
async function fixHash(dir: string, name: string): Promise<void> {
  const hash = createHash('sha256')
    .update(await readFile(join(dir, name)))
    .digest('hex');
  await editJson(join(dir, 'card.json'), (card) => {
    (card.files as Record<string, string>)[name] = hash;
  });
}

async function truncate(path: string): Promise<void> {
  const bytes = await readFile(path);
  await writeFile(path, bytes.subarray(0, bytes.length >> 1));
}

const DAMAGES: Record<string, Damage> = {
  'model.onnx missing': (dir) => rm(join(dir, 'model.onnx')),
  'model.onnx truncated': (dir) => truncate(join(dir, 'model.onnx')),
  'a wrong sha256 for model.onnx in card.json': (dir) =>
    editJson(join(dir, 'card.json'), (card) => {
      (card.files as Record<string, string>)['model.onnx'] = 'ab'.repeat(32);
    }),
  'model.onnx truncated, its hash fixed up in card.json': async (dir) => {
    await truncate(join(dir, 'model.onnx'));
    await fixHash(dir, 'model.onnx');
  },
  "another model's vocab.json, its hash fixed up in card.json": async (dir) => {
    await copyFile(OTHER_VOCAB, join(dir, 'vocab.json'));
    await fixHash(dir, 'vocab.json');
  },
  'a vocab.json from another text pipeline, its hash fixed up': async (dir) => {
    await editJson(join(dir, 'vocab.json'), (vocab) => {
      vocab.textPipeline = 'reelsense-text/0';
    });
    await fixHash(dir, 'vocab.json');
  },
  'a card.json from another text pipeline': (dir) =>
    editJson(join(dir, 'card.json'), (card) => {
      card.textPipeline = 'reelsense-text/0';
    }),
  'vocab.json not JSON, its hash fixed up': async (dir) => {
    await writeFile(join(dir, 'vocab.json'), '{"format":');
    await fixHash(dir, 'vocab.json');
  },
  'card.json missing': (dir) => rm(join(dir, 'card.json')),
  'card.json not JSON': (dir) => writeFile(join(dir, 'card.json'), 'not json'),
};

type Case = readonly [string, string, RegExp];

// What the loader says for each: the code, and the sentence (which file, what is wrong).
const CASES: readonly Case[] = [
  ['model.onnx missing', 'ARTIFACT_MISSING', /has no readable model\.onnx/],
  ['model.onnx truncated', 'ARTIFACT_CORRUPT', /model\.onnx in .* does not match its model card/],
  ['a wrong sha256 for model.onnx in card.json', 'ARTIFACT_CORRUPT', /model\.onnx in .* card says abababababab/],
  ['model.onnx truncated, its hash fixed up in card.json', 'ARTIFACT_INVALID', /The model in .* could not be loaded: /],
  [
    "another model's vocab.json, its hash fixed up in card.json",
    'ARTIFACT_VOCAB_MISMATCH',
    /vocab\.json in .* has 5000 tokens, but the model was trained with 31 \(card\.json model\.vocab_size\)/,
  ],
  [
    'a vocab.json from another text pipeline, its hash fixed up',
    'VOCAB_PIPELINE_MISMATCH',
    /vocabulary was built by text pipeline "reelsense-text\/0"/,
  ],
  [
    'a card.json from another text pipeline',
    'ARTIFACT_PIPELINE_MISMATCH',
    /trained with text pipeline "reelsense-text\/0"/,
  ],
  ['vocab.json not JSON, its hash fixed up', 'ARTIFACT_INVALID', /vocab\.json in .* is not valid JSON/],
  ['card.json missing', 'ARTIFACT_MISSING', /has no readable card\.json/],
  ['card.json not JSON', 'ARTIFACT_INVALID', /card\.json in .* is not valid JSON/],
];

describe.concurrent('a bad artifact at start-up', () => {
  it.for(CASES.filter(([what]) => what !== 'model.onnx missing'))(
    '%s: the server refuses it with %s, and answers 503 meanwhile',
    async ([what, code, message], { expect }) => {
      const server = await startEndpointServer({
        port: 0,
        modelDir: await damagedCopy(DAMAGES[what] ?? (() => Promise.resolve())),
      });
      try {
        await expect(server.ready).rejects.toMatchObject({
          name: 'ReelSenseError',
          code,
          message: expect.stringMatching(message) as string,
        });
        const ping = await fetch(`${server.url}/ping`);
        expect(ping.status).toBe(503);
        expect(await ping.json()).toMatchObject({ error: { code: 'MODEL_NOT_READY' } });
      } finally {
        await server.close();
      }
    },
  );

  // The command as SageMaker runs it: a clear line and exit 1, never a server stuck at 503.
  it.for(
    CASES.filter(([what]) =>
      [
        'model.onnx missing',
        'model.onnx truncated',
        'model.onnx truncated, its hash fixed up in card.json',
        "another model's vocab.json, its hash fixed up in card.json",
      ].includes(what),
    ),
  )(
    '%s: the endpoint command exits 1 with error [%s]',
    { timeout: 60_000 },
    async ([what, code, message], { expect }) => {
      const dir = await damagedCopy(DAMAGES[what] ?? (() => Promise.resolve()));
      const running = startCli('backend/endpoint/cli.ts', [
        'serve',
        '--model-dir',
        dir,
        '--port',
        String(await freePort()),
      ]);
      expect(await exitWithin(running, 30_000)).toBe(1);
      expect(running.output()).toMatch(new RegExp(`error \\[${code}\\]: .*${message.source}`));
      expect(running.output()).not.toMatch(/\n\s+at /);
    },
  );
});
