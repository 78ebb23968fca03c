import { access, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { manifestProblems, type PackageManifest, type PublishedPackage } from './pack.ts';
import { readmeSnippet } from './readme-snippet.ts';
import { runCommand } from './run-command.ts';

/** A check's outcome: `problem` is undefined when it passed. */
export interface CheckResult {
  name: string;
  problem?: string;
}

const installedDir = (project: string, name: string) => join(project, 'node_modules', name);

/** The installed manifest: the one `pnpm pack` wrote, `workspace:` ranges and all. */
async function installedManifest(project: string, name: string): Promise<PackageManifest> {
  const text = await readFile(join(installedDir(project, name), 'package.json'), 'utf8');
  return JSON.parse(text) as PackageManifest;
}

/** Every file `exports` and `bin` name is in the tarball, and no range needs the workspace. */
export async function checkManifest(project: string, pkg: PublishedPackage): Promise<CheckResult> {
  const manifest = await installedManifest(project, pkg.name);
  const problems = manifestProblems(manifest);
  const files = [
    ...Object.values(manifest.exports ?? {}).flatMap((conditions) => Object.values(conditions)),
    ...Object.values(manifest.bin ?? {}),
  ];
  for (const file of files) {
    await access(join(installedDir(project, pkg.name), file)).catch(() => {
      problems.push(`${file} is named in package.json but missing from the tarball`);
    });
  }
  return { name: `${pkg.name}: manifest and files`, problem: problems.join('\n') || undefined };
}

/** What a user imports: the package name and each `exports` subpath. */
function specifiersOf(pkg: PublishedPackage): string[] {
  return Object.keys(pkg.manifest.exports ?? { '.': {} }).map((subpath) =>
    subpath === '.' ? pkg.name : `${pkg.name}/${subpath.slice(2)}`,
  );
}

/** Imports every `exports` entry in a fresh Node, as the user's code would. */
export async function checkImports(project: string, pkg: PublishedPackage): Promise<CheckResult> {
  const specifiers = specifiersOf(pkg);
  const code = specifiers.map((specifier) => `await import(${JSON.stringify(specifier)});`);
  const run = await runCommand(process.execPath, ['--input-type=module', '-e', code.join('\n')], {
    cwd: project,
  });
  return {
    name: `${pkg.name}: import ${specifiers.join(', ')}`,
    problem: run.code === 0 ? undefined : run.output,
  };
}

/** Each bin answers `--help` with its usage and exit code 0. */
export async function checkBins(project: string, pkg: PublishedPackage): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  for (const bin of Object.keys(pkg.manifest.bin ?? {})) {
    const run = await runCommand(join(project, 'node_modules', '.bin', bin), ['--help'], {
      cwd: project,
    });
    const usage = /usage/i.test(run.output);
    results.push({
      name: `${bin} --help`,
      problem: run.code === 0 && usage ? undefined : `exit ${run.code}:\n${run.output}`,
    });
  }
  return results;
}

/** Connects the MCP SDK's client to the config's `countersign` server entry and lists its tools. */
const MCP_CONFIG_DRIVER = `import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
const config = JSON.parse(process.env.MCP_CONFIG);
const entry = config.mcpServers.countersign;
const env = { ...process.env, ...entry.env };
for (const name of ['COUNTERSIGN_URL', 'COUNTERSIGN_API_KEY']) env[name] = process.env[name];
const client = new Client({ name: 'packaging-test', version: '1.0.0' });
await client.connect(new StdioClientTransport({ command: entry.command, args: entry.args, env }));
const { tools } = await client.listTools();
if (tools.length === 0) throw new Error('the server lists no tools');
console.log(tools.map((tool) => tool.name).join(', '));
await client.close();
`;

/**
 * Runs the README's snippet (see `readmeSnippet`) in the project with `COUNTERSIGN_URL` and an
 * agent `COUNTERSIGN_API_KEY`: a TypeScript or JavaScript snippet as a file, an MCP client config
 * through the MCP SDK's stdio client.
 */
export async function checkReadme(
  project: string,
  pkg: PublishedPackage,
  env: Record<string, string>,
): Promise<CheckResult> {
  const readme = await readFile(join(installedDir(project, pkg.name), 'README.md'), 'utf8');
  const snippet = readmeSnippet(readme);
  const name = `${pkg.name}: README snippet`;
  if (!snippet) return { name, problem: 'the README has no ts, js or json snippet' };
  const base = pkg.name.replace(/^@/, '').replace('/', '-');
  const json = snippet.language === 'json';
  const file = join(project, `${base}-readme.${json ? 'js' : snippet.language.slice(0, 2)}`);
  await writeFile(file, json ? MCP_CONFIG_DRIVER : snippet.code);
  const run = await runCommand(process.execPath, [file], {
    cwd: project,
    env: json ? { ...env, MCP_CONFIG: snippet.code } : env,
    timeoutMs: 60_000,
  });
  const shown = `${snippet.marked ? 'marked' : 'first'} ${snippet.language} snippet`;
  return {
    name: `${name} (${shown})`,
    problem: run.code === 0 ? undefined : `exit ${run.code}:\n${run.output}`,
  };
}

const TSCONFIG = {
  compilerOptions: {
    target: 'es2023',
    lib: ['es2023', 'dom'],
    module: 'nodenext',
    moduleResolution: 'nodenext',
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    types: [],
  },
  include: ['*.ts'],
};

/**
 * Type-checks the TypeScript snippets and an import of every `exports` entry with the workspace's
 * `tsc`, resolving types from the project as a user's editor would: a missing or wrong `types`
 * entry fails here.
 */
export async function checkTypes(
  project: string,
  root: string,
  packages: PublishedPackage[],
): Promise<CheckResult> {
  const specifiers = packages.flatMap(specifiersOf);
  const imports = specifiers.map((each, index) => `import * as m${index} from '${each}';`);
  const uses = `console.log(${specifiers.map((_, index) => `m${index}`).join(', ')});`;
  await writeFile(join(project, 'exports-types.ts'), `${imports.join('\n')}\n${uses}\n`);
  await writeFile(join(project, 'tsconfig.json'), JSON.stringify(TSCONFIG, null, 2));
  const run = await runCommand(join(root, 'node_modules', '.bin', 'tsc'), ['-p', '.'], {
    cwd: project,
  });
  return {
    name: 'types: README snippets and every exports entry type-check',
    problem: run.code === 0 ? undefined : run.output,
  };
}
