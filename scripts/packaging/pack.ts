import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runCommand } from './run-command.ts';

/** A package the workspace publishes. */
export interface PublishedPackage {
  name: string;
  /** Its folder in the workspace. */
  dir: string;
  manifest: PackageManifest;
}

/** The parts of a package.json the packaging test reads. */
export interface PackageManifest {
  name: string;
  version: string;
  private?: boolean;
  bin?: Record<string, string>;
  exports?: Record<string, Record<string, string>>;
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
}

/** Every non-private package under `packages/`. */
export async function publishedPackages(root: string): Promise<PublishedPackage[]> {
  const found: PublishedPackage[] = [];
  for (const entry of await readdir(join(root, 'packages'), { withFileTypes: true })) {
    if (!entry.isDirectory()) continue;
    const dir = join(root, 'packages', entry.name);
    const manifest = JSON.parse(
      await readFile(join(dir, 'package.json'), 'utf8'),
    ) as PackageManifest;
    if (!manifest.private) found.push({ name: manifest.name, dir, manifest });
  }
  return found.sort((a, b) => a.name.localeCompare(b.name));
}

/** The tarball name `pnpm pack` writes for `name@version`. */
export function tarballName(manifest: PackageManifest): string {
  return `${manifest.name.replace(/^@/, '').replace('/', '-')}-${manifest.version}.tgz`;
}

/**
 * Packs every package with `pnpm pack` (which rewrites `workspace:` ranges to versions, as
 * publishing does) into `destination`; returns the tarball paths or throws with pnpm's output.
 */
export async function packAll(
  root: string,
  packages: PublishedPackage[],
  destination: string,
): Promise<string[]> {
  const filters = packages.flatMap((each) => ['--filter', each.name]);
  const packed = await runCommand(
    'npx',
    ['-y', 'pnpm@10', '-r', ...filters, 'pack', '--pack-destination', destination],
    { cwd: root },
  );
  if (packed.code !== 0) throw new Error(`pnpm pack failed:\n${packed.output}`);
  return packages.map((each) => join(destination, tarballName(each.manifest)));
}

/** The problems of one packed manifest: ranges only the workspace can resolve. */
export function manifestProblems(manifest: PackageManifest): string[] {
  const problems: string[] = [];
  for (const field of ['dependencies', 'peerDependencies'] as const) {
    for (const [name, range] of Object.entries(manifest[field] ?? {})) {
      if (/^(workspace|link|file):/.test(range)) {
        problems.push(`${manifest.name}: ${field}.${name} is "${range}"`);
      }
    }
  }
  return problems;
}
