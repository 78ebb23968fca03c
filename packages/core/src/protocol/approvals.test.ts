import { describe, expect, it } from 'vitest';
import { fingerprint } from '../fingerprint/index.js';
import { standingFingerprint } from '../fingerprint/standing-fingerprint.js';
import { approversOf, standingArgs } from './approvals.js';
import type { Decision } from './request.js';

const tool = { name: 'deploy', args: { env: 'prod' } };
const decision = (principal: string, outcome: Decision['outcome'], extra: Partial<Decision> = {}) =>
  ({
    id: `dec_${principal}`,
    outcome,
    principal,
    decidedAt: '2026-01-01T00:00:00Z',
    ...extra,
  }) as Decision;

describe('approval rules shared by the server and the fake', () => {
  it('lets the latest edit stand, else the original arguments', () => {
    expect(standingArgs({ tool, decisions: [] })).toEqual({ env: 'prod' });
    const decisions = [
      decision('a', 'edit', { args: { env: 'staging' } }),
      decision('b', 'edit', { args: { env: 'canary' } }),
    ];
    expect(standingArgs({ tool, decisions })).toEqual({ env: 'canary' });
    expect(standingFingerprint({ tool, decisions })).toBe(fingerprint('deploy', { env: 'canary' }));
    expect(standingFingerprint({ decisions })).toBeUndefined();
  });

  it('counts each principal once, and only approvals of the same arguments', () => {
    const original = fingerprint('deploy', tool.args);
    const edited = fingerprint('deploy', { env: 'canary' });
    const decisions = [
      decision('alice', 'approve', { fingerprint: original }),
      decision('bob', 'edit', { fingerprint: edited }),
      decision('carol', 'approve', { fingerprint: edited }),
      decision('bob', 'approve', { fingerprint: edited }),
      decision('dave', 'reject', { fingerprint: edited }),
    ];
    expect(approversOf(decisions, edited)).toEqual(['bob', 'carol']);
    expect(approversOf(decisions, original)).toEqual(['alice']);
    expect(approversOf([decision('erin', 'approve')], undefined)).toEqual(['erin']);
  });
});
