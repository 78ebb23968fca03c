import type { GrantMethods } from '../store-rows.js';
import type { GrantRecord } from '../store-types.js';
import { grantListQuery } from './list-queries.js';
import { GRANTS } from './queries.js';
import type { SqlSession } from './sql-session.js';

interface GrantRow {
  doc: string;
  uses: number;
  revoked_at: string | null;
}

// The columns are the truth for uses and revocation; the document holds the rest.
const toGrant = (row: GrantRow): GrantRecord => ({
  ...(JSON.parse(row.doc) as GrantRecord),
  uses: row.uses,
});

/** Grants: stored, listed by visibility, used atomically, revoked once. */
export function grantMethods(db: SqlSession): GrantMethods {
  return {
    async insertGrant(grant) {
      await db.run(GRANTS.insert, {
        id: grant.id,
        grantedBy: grant.grantedBy,
        // Globs are matched in code; an exact name also in the query.
        toolName: /[*?]/.test(grant.tool) ? null : grant.tool,
        assignees: JSON.stringify(grant.assignees),
        agent: grant.agent ?? null,
        runId: grant.runId ?? null,
        expiresAt: grant.expiresAt,
        maxUses: grant.maxUses ?? null,
        uses: grant.uses,
        revokedAt: grant.revokedAt ?? null,
        doc: JSON.stringify(grant),
      });
    },
    async getGrant(id) {
      const row = await db.one<GrantRow>(GRANTS.get, { id });
      return row ? toGrant(row) : undefined;
    },
    async listGrants(query) {
      const list = grantListQuery(query);
      return (await db.rows<GrantRow>(list.query, list.parameters)).map(toGrant);
    },
    async liveGrantsFor(toolName, agent, runId, now, limit) {
      const rows = await db.rows<GrantRow>(GRANTS.liveFor, {
        toolName,
        agent,
        runId: runId ?? null,
        now,
        limit,
      });
      return rows.map(toGrant);
    },
    async useGrant(id, now) {
      return (await db.one<{ uses: number }>(GRANTS.use, { id, now }))?.uses;
    },
    async revokeGrant(grant) {
      const revoked = await db.run(GRANTS.revoke, {
        id: grant.id,
        revokedAt: grant.revokedAt ?? null,
        doc: JSON.stringify(grant),
      });
      return revoked === 1;
    },
  };
}
