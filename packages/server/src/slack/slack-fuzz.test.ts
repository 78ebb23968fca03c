import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { updateUser } from '../people/user-directory.js';
import {
  buttonClick,
  modalSubmission,
  signBody,
  signInteraction,
} from '../test/slack-interactions.js';
import { SlackStandIn } from '../test/slack-stand-in.js';
import { createHarness, type Harness } from '../test-support/harness.js';

const SECRET = 'fuzzsigningsecret0001';
let h: Harness;
let standIn: SlackStandIn;
let requestId: string;

beforeAll(async () => {
  standIn = new SlackStandIn();
  await standIn.start();
  h = await createHarness({
    slack: { botToken: 'xoxb-fuzz-token-0001', signingSecret: SECRET, apiUrl: standIn.apiUrl },
  });
  await h.context.store.transaction(async (tx) => {
    await updateUser(tx, 'alice', { slackUserId: 'U0ALICE' });
    await updateUser(tx, 'bob', { slackUserId: 'U0BOB' });
  });
  const created = await h.call(h.keys.agent, 'POST', '/v1/requests', {
    action: 'fuzz',
    tool: { name: 't', args: {} },
    assignees: ['group:ops'],
    quorum: 2,
  });
  requestId = created.body.id;
});
afterAll(async () => {
  await h?.close();
  await standIn?.stop();
});

describe('Slack interactions under signed garbage', () => {
  it('never answers 5xx to a correctly signed body, whatever it holds, and Slack failing changes nothing', async () => {
    const value = fc.oneof(
      fc.constant(JSON.stringify({ id: requestId })),
      fc.string({ maxLength: 40 }),
      fc.json({ maxDepth: 2 }),
      fc
        .record({ id: fc.oneof(fc.string(), fc.constant(requestId)), fingerprint: fc.string() })
        .map((record) => JSON.stringify(record)),
    );
    const user = fc.constantFrom('U0ALICE', 'U0BOB', 'U0NOBODY', '', 'x'.repeat(100));
    const action = fc.constantFrom(
      'countersign_approve',
      'countersign_reject',
      'countersign_approve_grant',
      'countersign_open',
      'other',
    );
    const payload = fc.oneof(
      fc.tuple(user, action, value).map(([who, id, text]) => buttonClick(who, id, text)),
      fc
        .tuple(user, value, fc.string({ maxLength: 30 }))
        .map(([who, metadata, reason]) =>
          modalSubmission(
            who,
            { callback_id: 'countersign_reject_modal', private_metadata: metadata },
            { block: 'countersign_reason', action: 'countersign_reason_input', value: reason },
          ),
        ),
      fc
        .tuple(user, value, fc.string({ maxLength: 30 }), fc.string({ maxLength: 10 }))
        .map(([who, metadata, when, scope]) =>
          modalSubmission(
            who,
            { callback_id: 'countersign_grant_modal', private_metadata: metadata },
            [
              {
                block: 'countersign_grant_scope',
                action: 'countersign_grant_scope_input',
                selected: scope,
              },
              {
                block: 'countersign_grant_when',
                action: 'countersign_grant_when_input',
                value: when,
              },
            ],
          ),
        ),
      fc.jsonValue(),
      fc.record({ type: fc.constantFrom('block_actions', 'view_submission', 'shortcut') }),
    );
    const body = fc.oneof(
      payload.map((item) => signInteraction(SECRET, item, { timestampSeconds: nowSeconds() })),
      fc
        .string({ maxLength: 80 })
        .map((text) => signBody(SECRET, text, { timestampSeconds: nowSeconds() })),
    );
    await fc.assert(
      fc.asyncProperty(
        body,
        fc.boolean(),
        fc.constantFrom('application/x-www-form-urlencoded', 'application/json', ''),
        async (signed, slackDown, contentType) => {
          standIn.failAll(slackDown ? { status: 500 } : undefined);
          const headers = { ...signed.headers };
          if (contentType !== 'application/x-www-form-urlencoded') {
            headers['content-type'] = contentType;
          }
          const response = await h.raw(
            new Request('http://localhost/integrations/slack/interactions', {
              method: 'POST',
              headers,
              body: signed.body,
            }),
          );
          expect(response.status).toBeLessThan(500);
          if (response.status >= 400) {
            expect(((await response.json()) as { error: { code: string } }).error.code).toBeTypeOf(
              'string',
            );
          } else await response.body?.cancel();
        },
      ),
      { numRuns: 300 },
    );
    standIn.failAll(undefined);
    // Alice and Bob may each have approved once; nobody else decided anything.
    const request = (await h.call(h.keys.admin, 'GET', `/v1/requests/${requestId}`)).body;
    for (const decision of request.decisions) {
      expect(['user:alice', 'user:bob']).toContain(decision.principal);
    }
  });
});

function nowSeconds(): number {
  return Math.floor(h.clock.now() / 1000);
}
