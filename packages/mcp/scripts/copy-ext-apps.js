// Copies the MCP Apps browser bundle (@modelcontextprotocol/ext-apps, MIT) into dist/card/vendor:
// the approval card inlines it, so the published package needs neither ext-apps nor its peers.
import { copyFileSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const bundle = fileURLToPath(import.meta.resolve('@modelcontextprotocol/ext-apps/app-with-deps'));
const root = dirname(require.resolve('@modelcontextprotocol/ext-apps'));
const target = fileURLToPath(new URL('../dist/card/vendor/', import.meta.url));
mkdirSync(target, { recursive: true });
copyFileSync(bundle, join(target, 'ext-apps-app-with-deps.js'));
copyFileSync(join(root, '..', '..', 'LICENSE'), join(target, 'ext-apps-LICENSE'));
console.log('Copied the MCP Apps bundle into dist/card/vendor');
