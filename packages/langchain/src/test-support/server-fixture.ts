import { type ApprovalRequest, CountersignClient, type DecisionInput } from '@countersign/core';
import { startTestServer } from '@countersign/server/test';

/** A real Countersign server on loopback with an agent client and a reviewer client. */
export async function startCountersign(options: { manualClock?: boolean } = {}) {
  const server = await startTestServer(options);
  const agentKey = await server.createKey({ role: 'agent', name: 'lc-bot' });
  const reviewerKey = await server.createKey({ role: 'reviewer', name: 'alice' });
  const retry = { maxRetries: 1, initialDelayMs: 10, maxDelayMs: 50 };
  const agentClient = new CountersignClient({ baseUrl: server.url, apiKey: agentKey, retry });
  const reviewer = new CountersignClient({ baseUrl: server.url, apiKey: reviewerKey, retry });

  /** Waits (polling the reviewer's inbox) for a pending request matching `match`. */
  async function nextPending(match: (request: ApprovalRequest) => boolean = () => true) {
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline) {
      const page = await reviewer.list({ status: 'pending' });
      const found = page.items.find(match);
      if (found) return found;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    throw new Error('no matching pending request within 10 s');
  }

  /** Approves, as the reviewer, the next pending request; resolves with it decided. */
  async function approveNext() {
    const request = await nextPending();
    return reviewer.decide(request.id, { outcome: 'approve' });
  }

  /** Decides, as the reviewer, the pending request of each tool call id as it appears. */
  async function decideEach(decisions: Record<string, DecisionInput>) {
    for (const [toolCallId, decision] of Object.entries(decisions)) {
      const request = await nextPending((r) => r.toolCallId === toolCallId);
      await reviewer.decide(request.id, decision);
    }
  }

  /** Every request the server holds (admin view). */
  async function allRequests() {
    const admin = new CountersignClient({ baseUrl: server.url, apiKey: server.adminKey });
    return (await admin.list({ limit: 100 })).items;
  }

  return { server, agentClient, reviewer, nextPending, approveNext, decideEach, allRequests };
}
