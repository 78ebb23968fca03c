import { describe, expect, it } from 'vitest';
import { TEST_STORES } from '../../test-support/test-stores.js';
import type { SlackMessageRef } from '../store-types.js';

const ref = (recipient: string, postedAt: number): SlackMessageRef => ({
  requestId: 'req_1',
  recipient,
  channel: recipient.startsWith('#') ? 'C0DEPLOYS' : 'D0ALICE',
  ts: `1700000000.00000${postedAt}`,
  postedAt,
  shownVersion: 1,
});

describe.each(TEST_STORES)('Slack message refs on %s', (_name, open) => {
  it('keeps one message per recipient, lists them in order, and moves the shown version only forward', async () => {
    const { store, dispose } = await open();
    try {
      await store.transaction(async (tx) => {
        expect(await tx.insertSlackMessage(ref('U0ALICE', 2))).toBe(true);
        expect(await tx.insertSlackMessage(ref('#deploys', 1))).toBe(true);
        expect(await tx.insertSlackMessage({ ...ref('U0ALICE', 3), ts: 'other' })).toBe(false);
      });
      const listed = await store.read((tx) => tx.listSlackMessages('req_1'));
      expect(listed).toEqual([ref('#deploys', 1), ref('U0ALICE', 2)]);
      expect(await store.read((tx) => tx.listSlackMessages('req_2'))).toEqual([]);
      await store.transaction(async (tx) => {
        expect(await tx.setSlackMessageVersion('req_1', 'U0ALICE', 3)).toBe(true);
        expect(await tx.setSlackMessageVersion('req_1', 'U0ALICE', 2)).toBe(false);
        expect(await tx.setSlackMessageVersion('req_1', 'U0NOBODY', 9)).toBe(false);
      });
      const after = await store.read((tx) => tx.listSlackMessages('req_1'));
      expect(after.map((message) => message.shownVersion)).toEqual([1, 3]);
    } finally {
      await dispose();
    }
  });
});
