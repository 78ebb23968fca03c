import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runCommand } from './run-command.ts';

/** The frameworks a user adds beside the adapters, and the workspace package that pins each. */
const FRAMEWORKS: Record<string, string> = {
  ai: 'ai-sdk',
  langchain: 'langchain',
  '@langchain/core': 'langchain',
  '@langchain/langgraph': 'langchain',
  '@modelcontextprotocol/sdk': 'mcp',
  zod: 'core',
};

/** `name@version` of each framework, at the version the workspace's own tests run against. */
export async function frameworkSpecs(root: string): Promise<string[]> {
  const specs: string[] = [];
  for (const [name, owner] of Object.entries(FRAMEWORKS)) {
    const manifest = join(root, 'packages', owner, 'node_modules', name, 'package.json');
    const { version } = JSON.parse(await readFile(manifest, 'utf8')) as { version: string };
    specs.push(`${name}@${version}`);
  }
  return specs;
}

/**
 * Makes `directory` a plain npm project (outside the workspace, so nothing resolves from it) and
 * installs the tarballs and frameworks with npm, as a user would. npm's own cache keeps repeat
 * runs off the network.
 */
export async function installProject(
  directory: string,
  tarballs: string[],
  frameworks: string[],
): Promise<void> {
  const manifest = { name: 'countersign-packaging-test', private: true, type: 'module' };
  await writeFile(join(directory, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  const installed = await runCommand(
    'npm',
    [
      'install',
      '--no-audit',
      '--no-fund',
      '--prefer-offline',
      '--loglevel=error',
      ...tarballs,
      ...frameworks,
    ],
    { cwd: directory, timeoutMs: 240_000 },
  );
  if (installed.code !== 0) throw new Error(`npm install failed:\n${installed.output}`);
}
