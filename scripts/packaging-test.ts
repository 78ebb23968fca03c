// What users install is what is tested: packs every published package, installs the tarballs with
// plain npm into a project outside the workspace, and runs each README's snippet and each bin's
// --help there. Run after a build: `node scripts/packaging-test.ts` (Node 24); exits 1 on a failure.
// `--keep` leaves the temporary project in place for a look.
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  type CheckResult,
  checkBins,
  checkImports,
  checkManifest,
  checkReadme,
  checkTypes,
} from './packaging/checks.ts';
import { startLocalServer } from './packaging/local-server.ts';
import { packAll, publishedPackages } from './packaging/pack.ts';
import { frameworkSpecs, installProject } from './packaging/project.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const started = Date.now();
const elapsed = () => `${((Date.now() - started) / 1000).toFixed(1)} s`;
const work = await mkdtemp(join(tmpdir(), 'countersign-packaging-'));
const project = join(work, 'project');
const results: CheckResult[] = [];
try {
  const packages = await publishedPackages(root);
  await mkdir(project);
  const tarballs = await packAll(root, packages, join(work, 'tarballs'));
  console.log(`packed ${packages.map((each) => each.name).join(', ')} (${elapsed()})`);
  const frameworks = await frameworkSpecs(root);
  await installProject(project, tarballs, frameworks);
  console.log(`npm installed them with ${frameworks.join(', ')} in ${project} (${elapsed()})`);
  for (const pkg of packages) {
    results.push(await checkManifest(project, pkg), await checkImports(project, pkg));
    results.push(...(await checkBins(project, pkg)));
  }
  const server = await startLocalServer(project);
  try {
    const env = { COUNTERSIGN_URL: server.url, COUNTERSIGN_API_KEY: server.agentKey };
    for (const pkg of packages) results.push(await checkReadme(project, pkg, env));
  } finally {
    await server.close();
  }
  results.push(await checkTypes(project, root, packages));
} catch (error) {
  results.push({ name: 'packaging', problem: error instanceof Error ? error.message : `${error}` });
} finally {
  if (!process.argv.includes('--keep')) await rm(work, { recursive: true, force: true });
}

const failed = results.filter((result) => result.problem !== undefined);
for (const result of results) {
  console.log(`${result.problem === undefined ? 'ok  ' : 'FAIL'} ${result.name}`);
  if (result.problem !== undefined) console.log(result.problem.replace(/^/gm, '     '));
}
console.log(
  `packaging: ${results.length - failed.length} passed, ${failed.length} failed in ${elapsed()}`,
);
process.exitCode = failed.length > 0 ? 1 : 0;
