/** The repository root as a path (under jsdom, URL is jsdom's, which node:fs does not take). */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '../../..');
