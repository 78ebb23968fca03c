/** What became of a stored policy version. */
export type PolicyVersionState = 'proposed' | 'approved' | 'rejected';

/** One stored version of a named central policy; versions are never edited or deleted. */
export interface PolicyVersionRecord {
  name: string;
  /** 1, 2, 3, … per name. */
  version: number;
  /** The policy file's text, exactly as pushed. */
  text: string;
  /** The file name it was pushed from (error messages and `show` use it). */
  file: string;
  /** The principal that pushed it. */
  author: string;
  createdAt: string;
  /** `proposed` while its approval request is pending; `approved` once it may be active. */
  state: PolicyVersionState;
  /** The review request of an approval-guarded push. */
  requestId: string | null;
}

/** The pointer of a named policy: which version gates run, and which runs beside it in shadow. */
export interface PolicyHeadRecord {
  name: string;
  activeVersion: number | null;
  shadowVersion: number | null;
  updatedAt: string;
}

/** An emergency stop: `all`, `agent:NAME` or `policy:NAME`. */
export interface StopRecord {
  scope: string;
  reason: string;
  actor: string;
  at: string;
}

/** What gates told the server about a shadow version that decided differently. */
export interface ShadowReportRecord {
  name: string;
  activeVersion: number;
  shadowVersion: number;
  /** Calls the two versions decided differently. */
  disagreements: number;
  /** Calls evaluated under both. */
  evaluations: number;
  /** A few disagreeing calls: tool, the two decisions (JSON). */
  samples: string;
  updatedAt: string;
}
