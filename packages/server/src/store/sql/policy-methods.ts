import type {
  PolicyHeadRecord,
  PolicyVersionRecord,
  ShadowReportRecord,
  StopRecord,
} from '../policy-records.js';
import type { PolicyMethods } from '../store-rows.js';
import { POLICIES, POLICY_VERSIONS, SHADOW_REPORTS, STOPS } from './queries.js';
import type { SqlSession } from './sql-session.js';

interface VersionRow {
  name: string;
  version: number;
  text: string;
  file: string;
  author: string;
  created_at: string;
  state: PolicyVersionRecord['state'];
  request_id: string | null;
}

interface HeadRow {
  name: string;
  active_version: number | null;
  shadow_version: number | null;
  updated_at: string;
}

interface ShadowRow {
  name: string;
  active_version: number;
  shadow_version: number;
  disagreements: number;
  evaluations: number;
  samples: string;
  updated_at: string;
}

const toVersion = (row: VersionRow): PolicyVersionRecord => ({
  name: row.name,
  version: Number(row.version),
  text: row.text,
  file: row.file,
  author: row.author,
  createdAt: row.created_at,
  state: row.state,
  requestId: row.request_id,
});

const toHead = (row: HeadRow): PolicyHeadRecord => ({
  name: row.name,
  activeVersion: row.active_version === null ? null : Number(row.active_version),
  shadowVersion: row.shadow_version === null ? null : Number(row.shadow_version),
  updatedAt: row.updated_at,
});

const toShadow = (row: ShadowRow): ShadowReportRecord => ({
  name: row.name,
  activeVersion: Number(row.active_version),
  shadowVersion: Number(row.shadow_version),
  disagreements: Number(row.disagreements),
  evaluations: Number(row.evaluations),
  samples: row.samples,
  updatedAt: row.updated_at,
});

/** Central policies, their versions, emergency stops and shadow reports. */
export function policyMethods(db: SqlSession): PolicyMethods {
  return {
    async insertPolicyVersion(record) {
      await db.run(POLICY_VERSIONS.insert, { ...record });
    },
    async getPolicyVersion(name, version) {
      const row = await db.one<VersionRow>(POLICY_VERSIONS.get, { name, version });
      return row ? toVersion(row) : undefined;
    },
    async listPolicyVersions(name) {
      return (await db.rows<VersionRow>(POLICY_VERSIONS.list, { name })).map(toVersion);
    },
    async latestPolicyVersion(name) {
      const row = await db.one<{ version: number | null }>(POLICY_VERSIONS.latest, { name });
      return row?.version == null ? 0 : Number(row.version);
    },
    async setPolicyVersionState(name, version, state) {
      return (await db.run(POLICY_VERSIONS.setState, { name, version, state })) === 1;
    },
    async getPolicyHead(name) {
      const row = await db.one<HeadRow>(POLICIES.get, { name });
      return row ? toHead(row) : undefined;
    },
    async listPolicyHeads() {
      return (await db.rows<HeadRow>(POLICIES.list)).map(toHead);
    },
    async savePolicyHead(head: PolicyHeadRecord) {
      await db.run(POLICIES.save, { ...head });
    },
    async listStops() {
      return db.rows<StopRecord>(STOPS.list);
    },
    async saveStop(stop) {
      await db.run(STOPS.save, { ...stop });
    },
    async deleteStop(scope) {
      return (await db.run(STOPS.delete, { scope })) === 1;
    },
    async getShadowReport(name, activeVersion, shadowVersion) {
      const row = await db.one<ShadowRow>(SHADOW_REPORTS.get, {
        name,
        activeVersion,
        shadowVersion,
      });
      return row ? toShadow(row) : undefined;
    },
    async listShadowReports(name) {
      return (await db.rows<ShadowRow>(SHADOW_REPORTS.list, { name })).map(toShadow);
    },
    async saveShadowReport(report: ShadowReportRecord) {
      await db.run(SHADOW_REPORTS.save, { ...report });
    },
  };
}
