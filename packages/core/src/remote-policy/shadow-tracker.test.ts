import { describe, expect, it } from 'vitest';
import { ShadowTracker } from './shadow-tracker.js';

describe('ShadowTracker', () => {
  it('counts evaluations and disagreements with samples, and resets on take', () => {
    const tracker = new ShadowTracker();
    const versions = { active: 1, shadow: 2 };
    tracker.record(
      versions,
      'read',
      { action: 'allow', rule: 'reads' },
      { action: 'allow', rule: 'reads' },
    );
    tracker.record(
      versions,
      'pay',
      { action: 'allow', rule: 'a' },
      { action: 'require', rule: 'b' },
    );
    // Same action under another rule is a disagreement too: the rollout changes who decides.
    tracker.record(versions, 'pay', { action: 'deny', rule: 'x' }, { action: 'deny' });
    const report = tracker.take();
    expect(report).toMatchObject({
      activeVersion: 1,
      shadowVersion: 2,
      evaluations: 3,
      disagreements: 2,
    });
    expect(
      report?.samples.map((sample) => [sample.toolName, sample.active, sample.shadow]),
    ).toEqual([
      ['pay', { action: 'allow', rule: 'a' }, { action: 'require', rule: 'b' }],
      ['pay', { action: 'deny', rule: 'x' }, { action: 'deny' }],
    ]);
    expect(tracker.take()).toBeUndefined();
  });

  it('drops the counts of a pair that is no longer running', () => {
    const tracker = new ShadowTracker();
    tracker.record({ active: 1, shadow: 2 }, 't', { action: 'allow' }, { action: 'deny' });
    tracker.record({ active: 1, shadow: 3 }, 't', { action: 'allow' }, { action: 'allow' });
    expect(tracker.take()).toMatchObject({ shadowVersion: 3, evaluations: 1, disagreements: 0 });
  });

  it('keeps at most 20 samples', () => {
    const tracker = new ShadowTracker();
    for (let index = 0; index < 30; index += 1) {
      tracker.record(
        { active: 1, shadow: 2 },
        `t${index}`,
        { action: 'allow' },
        { action: 'deny' },
      );
    }
    const report = tracker.take();
    expect(report?.disagreements).toBe(30);
    expect(report?.samples).toHaveLength(20);
  });
});
