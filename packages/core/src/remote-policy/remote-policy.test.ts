import { describe, expect, it } from 'vitest';
import { CountersignError } from '../errors/index.js';
import { createGate } from '../gate/create-gate.js';
import { remotePolicy } from './remote-policy.js';

describe('remotePolicy', () => {
  it('refuses bad options at construction', () => {
    const bad = () => remotePolicy('Not A Name', { baseUrl: 'nope', apiKey: '' });
    expect(bad).toThrow(CountersignError);
    expect(bad).toThrow(
      /"Not A Name" is not a policy name; .*apiKey.*; baseUrl "nope" is not a URL/,
    );
    expect(() =>
      remotePolicy('payments', { baseUrl: 'http://127.0.0.1:9', apiKey: 'k', maxStalenessMs: 0 }),
    ).toThrow(/maxStalenessMs/);
  });

  it('denies every call, with a clear reason, when the server cannot be reached at start', async () => {
    const logs: string[] = [];
    // Port 9 (discard) is closed on loopback: the connection is refused at once.
    const policy = remotePolicy('payments', {
      baseUrl: 'http://127.0.0.1:9',
      apiKey: 'csk_x',
      reconnectDelayMs: 10_000,
      log: (line) => logs.push(line),
    });
    try {
      const decision = await createGate({ policy }).check({ toolName: 'anything', args: {} });
      expect(decision.outcome).toBe('deny');
      expect(decision.outcome === 'deny' && decision.message).toMatch(
        /^Countersign could not load the policy "payments" from the server \(it cannot be reached: .*ECONNREFUSED/,
      );
      expect(policy.version).toBeUndefined();
      expect(logs[0]).toMatch(/every call is denied until policy "payments" can be loaded/);
    } finally {
      policy.close();
    }
  });
});
