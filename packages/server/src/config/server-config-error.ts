import { CountersignError } from '@countersign/core/protocol';

/** One problem with one option, from one source. */
export interface ConfigIssue {
  /** The option's key, such as `scheduler.idempotencyRetentionMs` (the file itself: `config`). */
  option: string;
  /** Where the value came from: `--port`, `COUNTERSIGN_PORT`, the file's name, or `startServer`. */
  source: string;
  /** The whole sentence, naming the option as its source spells it. */
  message: string;
}

/**
 * Bad server configuration (code `validation_failed`): the message lists every problem, each
 * naming the option and its source; `details.issues` holds them one by one.
 */
export class ServerConfigError extends CountersignError {
  readonly issues: readonly ConfigIssue[];

  constructor(issues: readonly ConfigIssue[]) {
    super('validation_failed', {
      message: issues.map((issue) => issue.message).join('; '),
      details: { issues: issues.map((issue) => ({ ...issue })) },
    });
    this.name = 'ServerConfigError';
    this.issues = issues;
  }
}

/** `label` followed by a problem: "--port must be …", or "--callback-hosts: entry … is malformed". */
export function sentence(label: string, problem: string): string {
  return problem.startsWith('must ') ? `${label} ${problem}` : `${label}: ${problem}`;
}
