/**
 * Builds and serves the standalone page: root website/, output website/dist/. The dev and
 * preview servers listen on 127.0.0.1:REELSENSE_WEB_PORT (5173), and fail rather than drift to
 * another port, so the URL that `npm start` prints stays true. REELSENSE_API_PORT (3000) is baked
 * into the page as the local gateway's port for the default API URL.
 */
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

function portFromEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new Error(`${name} must be a port number (0 to 65535), not ${JSON.stringify(raw)}.`);
  }
  return port;
}

const root = fileURLToPath(new URL('.', import.meta.url));
const repoRoot = fileURLToPath(new URL('..', import.meta.url));
const webPort = portFromEnv('REELSENSE_WEB_PORT', 5173);
const server = { host: '127.0.0.1', port: webPort, strictPort: true } as const;

export default defineConfig({
  root,
  // Relative asset URLs: the built page works from any path, a bucket prefix included.
  base: './',
  // The page imports public-api/ (the contract and client) and ui/ (the UI kit, its CSS too) from
  // outside its root: the dev server may serve the whole repository.
  server: { ...server, fs: { allow: [repoRoot] } },
  preview: server,
  build: { outDir: 'dist', emptyOutDir: true },
  define: { __REELSENSE_API_PORT__: JSON.stringify(portFromEnv('REELSENSE_API_PORT', 3000)) },
});
