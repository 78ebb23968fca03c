// Copies the dashboard build into dist/dashboard so the server can serve it; absent build is fine.
import { cpSync, existsSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const source = fileURLToPath(new URL('../../dashboard/dist/', import.meta.url));
const target = fileURLToPath(new URL('../dist/dashboard/', import.meta.url));
rmSync(target, { recursive: true, force: true });
if (existsSync(source)) {
  cpSync(source, target, { recursive: true });
  console.log('Copied the dashboard build into dist/dashboard');
} else {
  console.log('No dashboard build at packages/dashboard/dist; the server will say so at /');
}
