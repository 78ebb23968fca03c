import type { ApprovalService } from '../client/client-types.js';

/**
 * `service` with time passing between an approval reaching the agent and its call starting:
 * `beforeStart` runs (for example, moving a test server's manual clock past the receipt lifetime)
 * before each `executing` report is sent. Every other call goes straight through.
 *
 * @example
 * const service = startingLate(agentClient, () => server.clock.advance(11 * 60_000));
 */
export function startingLate(
  service: ApprovalService,
  beforeStart: () => Promise<void> | void,
): ApprovalService {
  return new Proxy(service, {
    get(target, key) {
      const value = Reflect.get(target, key, target);
      if (typeof value !== 'function') return value;
      if (key !== 'reportExecution') return value.bind(target);
      const report: NonNullable<ApprovalService['reportExecution']> = async (id, body, options) => {
        if (body.state === 'executing') await beforeStart();
        return value.call(target, id, body, options);
      };
      return report;
    },
  });
}
