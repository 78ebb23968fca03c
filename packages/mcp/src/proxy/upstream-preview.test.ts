import { describe, expect, it } from 'vitest';
import type { ProxiedTool } from '../upstream/upstream-set.js';
import { upstreamPreview } from './upstream-preview.js';

function proxied(meta: Record<string, unknown> | undefined): ProxiedTool {
  return {
    exposedName: 'db__run_sql',
    upstreamName: 'run_sql',
    upstream: {} as ProxiedTool['upstream'],
    tool: {
      name: 'db__run_sql',
      inputSchema: { type: 'object' },
      ...(meta ? { _meta: meta } : {}),
    },
  };
}

describe("an upstream tool's preview in _meta", () => {
  const warnings: string[] = [];
  const logger = { info() {}, warn: (line: string) => warnings.push(line), error() {} };

  it('is read from _meta["countersign/preview"]', () => {
    const preview = { kind: 'sql', fields: { statement: 'args.query' } };
    expect(upstreamPreview(proxied({ 'countersign/preview': preview }), logger)).toEqual({
      preview,
    });
    expect(upstreamPreview(proxied(undefined), logger)).toEqual({});
  });

  it('is left out, with a warning naming the tool, when malformed: the call still reaches a reviewer', () => {
    const result = upstreamPreview(
      proxied({ 'countersign/preview': { kind: 'sql', fields: { body: 'x' } } }),
      logger,
    );
    expect(result).toEqual({});
    expect(warnings.at(-1)).toMatch(/The preview of tool "db__run_sql" is not valid/);
  });
});
