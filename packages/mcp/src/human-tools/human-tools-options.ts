import type { ApprovalService } from '@countersign/core';
import { invalidOptions } from '@countersign/core/adapter';
import type { Logger } from '../shared/logger.js';
import { hasMethods, isHttpUrl, millisecondsProblems } from '../shared/option-checks.js';

/** Options for {@link createHumanToolsServerFactory}. */
export interface HumanToolsOptions {
  /** The Countersign server (a `CountersignClient`). */
  service: ApprovalService;
  /** How long one tool call waits before answering "pending, call check_request". Default 50 000. */
  maxWaitMs?: number;
  /** Milliseconds between progress notifications while waiting. Default 10 000. */
  progressIntervalMs?: number;
  /**
   * The dashboard's public address (e.g. `https://countersign.example.com`). With it, clients that
   * support URL-mode elicitation are offered a pending request's page ("Open the approval page").
   */
  publicUrl?: string;
  /** Where the server logs. Default: nowhere. */
  logger?: Logger;
}

/** Rejects bad options at construction, every problem in one `validation_failed` error. */
export function assertHumanToolsOptions(options: HumanToolsOptions): void {
  if (typeof options !== 'object' || options === null) {
    throw invalidOptions('createHumanToolsServerFactory', ['options must be an object']);
  }
  const problems = millisecondsProblems(options, ['maxWaitMs', 'progressIntervalMs']);
  if (options.publicUrl !== undefined && !isHttpUrl(options.publicUrl)) {
    problems.push('publicUrl must be an http(s) URL');
  }
  if (!hasMethods(options.service, ['create', 'get', 'wait'])) {
    problems.unshift('service must be an ApprovalService (a CountersignClient)');
  }
  if (problems.length > 0) throw invalidOptions('createHumanToolsServerFactory', problems);
}
