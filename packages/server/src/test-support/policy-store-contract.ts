import { expect, it } from 'vitest';
import type { Store } from '../store/store-types.js';

/** The central-policy, stop and shadow-report expectations of a store (inside its contract). */
export function describePolicyStoreContract(storeOf: () => Store): void {
  const at = '2030-01-01T00:00:00.000Z';
  const version = (name: string, number: number, state: 'proposed' | 'approved' = 'approved') => ({
    name,
    version: number,
    text: `version: 1 # ${number}`,
    file: `${name}.yaml`,
    author: 'user:root',
    createdAt: at,
    state,
    requestId: state === 'proposed' ? `req_${number}` : null,
  });

  it('keeps every policy version and the active and shadow pointers', async () => {
    const store = storeOf();
    await store.transaction(async (tx) => {
      expect(await tx.latestPolicyVersion('payments')).toBe(0);
      await tx.insertPolicyVersion(version('payments', 1));
      await tx.insertPolicyVersion(version('payments', 2, 'proposed'));
      await tx.savePolicyHead({
        name: 'payments',
        activeVersion: 1,
        shadowVersion: null,
        updatedAt: at,
      });
    });
    await store.transaction(async (tx) => {
      await tx.savePolicyHead({
        name: 'payments',
        activeVersion: 1,
        shadowVersion: 2,
        updatedAt: at,
      });
      expect(await tx.setPolicyVersionState('payments', 2, 'approved')).toBe(true);
      // Settled once: a second settlement (another replica) changes nothing.
      expect(await tx.setPolicyVersionState('payments', 2, 'rejected')).toBe(false);
    });
    await store.read(async (tx) => {
      expect(await tx.latestPolicyVersion('payments')).toBe(2);
      expect(await tx.getPolicyVersion('payments', 2)).toEqual({
        ...version('payments', 2, 'proposed'),
        state: 'approved',
      });
      expect((await tx.listPolicyVersions('payments')).map((record) => record.version)).toEqual([
        1, 2,
      ]);
      expect(await tx.getPolicyHead('payments')).toEqual({
        name: 'payments',
        activeVersion: 1,
        shadowVersion: 2,
        updatedAt: at,
      });
      expect(await tx.listPolicyHeads()).toHaveLength(1);
      expect(await tx.getPolicyVersion('payments', 3)).toBeUndefined();
    });
    await expect(
      store.transaction((tx) => tx.insertPolicyVersion(version('payments', 2))),
    ).rejects.toThrow();
  });

  it('keeps stops by scope and shadow reports by version pair', async () => {
    const store = storeOf();
    await store.transaction(async (tx) => {
      await tx.saveStop({ scope: 'all', reason: 'first', actor: 'user:root', at });
      await tx.saveStop({ scope: 'all', reason: 'second', actor: 'user:root', at });
      await tx.saveStop({ scope: 'agent:bot', reason: 'x', actor: 'user:root', at });
      await tx.saveShadowReport({
        name: 'payments',
        activeVersion: 1,
        shadowVersion: 2,
        evaluations: 10,
        disagreements: 3,
        samples: '[]',
        updatedAt: at,
      });
    });
    await store.transaction(async (tx) => {
      expect((await tx.listStops()).map((stop) => [stop.scope, stop.reason])).toEqual([
        ['agent:bot', 'x'],
        ['all', 'second'],
      ]);
      expect(await tx.deleteStop('agent:bot')).toBe(true);
      expect(await tx.deleteStop('agent:bot')).toBe(false);
      const report = await tx.getShadowReport('payments', 1, 2);
      expect(report).toMatchObject({ evaluations: 10, disagreements: 3 });
      await tx.saveShadowReport({ ...(report as NonNullable<typeof report>), evaluations: 11 });
      expect((await tx.listShadowReports('payments')).map((item) => item.evaluations)).toEqual([
        11,
      ]);
    });
  });
}
