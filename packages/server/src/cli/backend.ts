import type {
  ApprovalRequest,
  CreateGrantInput,
  DecisionInput,
  Grant,
  RequestList,
} from '@countersign/core/protocol';
import type { AuditVerification } from '../audit/audit-chain.js';

/** Filters for `ls`. */
export interface ListOptions {
  status?: string;
  limit?: number;
}

/** Filters for `audit export`. */
export interface AuditExportOptions {
  format: 'jsonl' | 'csv';
  requestId?: string;
  from?: string;
  to?: string;
}

/** What the CLI's request and audit commands need: a running server, or the database offline. */
export interface Backend {
  list(options: ListOptions): Promise<RequestList>;
  get(id: string): Promise<ApprovalRequest>;
  decide(id: string, body: DecisionInput): Promise<ApprovalRequest>;
  auditExport(options: AuditExportOptions, write: (text: string) => void): Promise<void>;
  auditVerify(): Promise<AuditVerification>;
  /** The grants the caller may see; `all` includes revoked, expired and used-up ones. */
  listGrants(options: { all: boolean }): Promise<Grant[]>;
  revokeGrant(id: string, reason?: string): Promise<Grant>;
  /** Makes a grant directly (admins). */
  createGrant(body: CreateGrantInput): Promise<Grant>;
  close(): Promise<void>;
}
