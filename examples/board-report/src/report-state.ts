import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { JsonObject } from '@countersign/core';

/** Bumped when the saved shape changes; an unknown version is refused, never guessed at. */
export const STATE_SCHEMA_VERSION = 1;

/** What the agent keeps on disk so a restart loses nothing and asks nothing twice. */
export interface ReportState {
  schemaVersion: typeof STATE_SCHEMA_VERSION;
  quarter: string;
  /** The run id the gate derives idempotency keys from: same run, same requests. */
  runId: string;
  /** The drafted summary, written once. */
  draft: JsonObject;
  /** The summary as the legal review approved it (possibly edited by legal). */
  reviewed?: { requestId: string; report: JsonObject; fingerprint: string; by: string[] };
  /** Set once the report went out. */
  distributed?: { requestId: string; fingerprint: string; by: string[]; at: string };
}

const FILE = 'board-report-state.json';

/** Reads the saved state, or undefined on a first start. */
export function loadState(directory: string): ReportState | undefined {
  let text: string;
  try {
    text = readFileSync(join(directory, FILE), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  const state = JSON.parse(text) as ReportState;
  if (state.schemaVersion !== STATE_SCHEMA_VERSION) {
    throw new Error(
      `${FILE} has schema version ${state.schemaVersion}, expected ${STATE_SCHEMA_VERSION}`,
    );
  }
  return state;
}

/** Writes the state atomically (a crash leaves the old file or the new one, never half). */
export function saveState(directory: string, state: ReportState): void {
  mkdirSync(directory, { recursive: true });
  const target = join(directory, FILE);
  writeFileSync(`${target}.tmp`, `${JSON.stringify(state, null, 2)}\n`);
  renameSync(`${target}.tmp`, target);
}
