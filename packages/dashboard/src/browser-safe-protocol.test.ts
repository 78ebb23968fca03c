import { join } from 'node:path';
import { build, type Rolldown } from 'vite';
import { describe, expect, it } from 'vitest';

const ENTRY = '\0protocol-probe';

function chunksOf(result: Awaited<ReturnType<typeof build>>): Rolldown.OutputChunk[] {
  const outputs = (Array.isArray(result) ? result : [result]) as Rolldown.RolldownOutput[];
  return outputs
    .flatMap((output) => output.output)
    .filter((item): item is Rolldown.OutputChunk => item.type === 'chunk');
}

/** Bundles `code` for the browser as the dashboard build does, and returns the chunks. */
async function bundle(code: string): Promise<Rolldown.OutputChunk[]> {
  const result = await build({
    configFile: false,
    root: import.meta.dirname,
    logLevel: 'silent',
    plugins: [
      {
        name: 'protocol-probe',
        resolveId: (id) => (id === 'protocol-probe' ? ENTRY : undefined),
        load: (id) => (id === ENTRY ? code : undefined),
      },
    ],
    build: { write: false, minify: false, rolldownOptions: { input: 'protocol-probe' } },
  });
  return chunksOf(result);
}

/** Modules Vite had to stub because they are Node built-ins. */
function nodeBuiltins(chunks: Rolldown.OutputChunk[]): string[] {
  const stubbed = chunks
    .flatMap((chunk) => chunk.moduleIds)
    .filter((id) => id.includes('__vite-browser-external'));
  const imported = chunks.flatMap((chunk) => chunk.code.match(/["']node:[a-z_/]+["']/g) ?? []);
  return [...stubbed, ...imported];
}

describe('@countersign/core/protocol in a browser bundle', () => {
  it('bundles every export without a Node built-in (the root entry, with the client, does not)', async () => {
    const everything = await bundle(
      "import * as protocol from '@countersign/core/protocol'; globalThis.protocol = protocol;",
    );
    expect(nodeBuiltins(everything)).toEqual([]);
    // The check can fail: the root entry reaches node:crypto and undici's built-ins.
    const root = await bundle("import * as core from '@countersign/core'; globalThis.core = core;");
    expect(nodeBuiltins(root).length).toBeGreaterThan(0);
  }, 60_000);

  it('leaves zod out when only the SSE parser, the value lists and the errors are used', async () => {
    const chunks = await bundle(
      "import { ApiError, REQUEST_KINDS, REQUEST_STATUSES, SseParser } from '@countersign/core/protocol';" +
        'globalThis.used = [ApiError, REQUEST_KINDS, REQUEST_STATUSES, SseParser];',
    );
    const modules = chunks.flatMap((chunk) => chunk.moduleIds);
    expect(modules.some((id) => id.includes('/protocol/sse-parser.js'))).toBe(true);
    expect(modules.filter((id) => id.includes('/zod/'))).toEqual([]);
    expect(nodeBuiltins(chunks)).toEqual([]);
  }, 60_000);

  it('keeps the dashboard build itself free of Node built-ins and zod', async () => {
    const chunks = chunksOf(
      await build({
        root: join(import.meta.dirname, '..'),
        logLevel: 'silent',
        build: { write: false },
      }),
    );
    const modules = chunks.flatMap((chunk) => chunk.moduleIds);
    expect(modules.some((id) => id.includes('/protocol/sse-parser.js'))).toBe(true);
    expect(modules.filter((id) => id.includes('/zod/'))).toEqual([]);
    expect(nodeBuiltins(chunks)).toEqual([]);
  }, 60_000);
});
