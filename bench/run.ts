// Runs every `*.bench.ts` in this folder, each in its own Node process, one after the other.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const only = process.argv.slice(2);
const benches = readdirSync(here)
  .filter((file) => file.endsWith('.bench.ts'))
  .filter((file) => only.length === 0 || only.some((name) => file.includes(name)))
  .sort();

let failed = 0;
for (const file of benches) {
  console.log(`\n## ${file}`);
  const result = spawnSync(process.execPath, [join(here, file)], { stdio: 'inherit', cwd: here });
  if (result.status !== 0) {
    failed += 1;
    console.error(`${file} failed with ${result.status ?? result.signal}`);
  }
}
if (benches.length === 0) console.log('No benchmarks found.');
process.exitCode = failed === 0 ? 0 : 1;
