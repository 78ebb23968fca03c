// Rewrites the options table of README.md from the built option declarations
// (src/config/server-options.ts); run after `pnpm build`. The server tests fail while it is stale.
import { readFile, writeFile } from 'node:fs/promises';
import { withOptionsTable } from '../dist/config/options-markdown.js';

const readmeUrl = new URL('../README.md', import.meta.url);
const readme = await readFile(readmeUrl, 'utf8');
const updated = withOptionsTable(readme);
if (updated === readme) {
  console.log('README.md: the options table is up to date');
} else {
  await writeFile(readmeUrl, updated);
  console.log('README.md: options table rewritten');
}
