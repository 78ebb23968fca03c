import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The worker module `name` beside the module at `moduleUrl` (its `import.meta.url`): `name.js`
 * when built, `name.ts` when tests run the source (Node strips its types).
 */
export function workerFileBeside(moduleUrl: string, name: string): URL {
  return new URL(`./${name}${extname(fileURLToPath(moduleUrl))}`, moduleUrl);
}
