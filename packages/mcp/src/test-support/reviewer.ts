import { type ApprovalRequest, CountersignClient, type DecisionInput } from '@countersign/core';

/** A reviewer acting through the real server's API with a reviewer key. */
export class TestReviewer {
  readonly #client: CountersignClient;

  constructor(baseUrl: string, apiKey: string) {
    this.#client = new CountersignClient({ baseUrl, apiKey });
  }

  /** Polls the pending inbox until a request matching `predicate` shows up. */
  async nextPending(
    predicate: (request: ApprovalRequest) => boolean = () => true,
    timeoutMs = 15_000,
  ): Promise<ApprovalRequest> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const page = await this.#client.list({ status: 'pending', limit: 100 });
      const found = page.items.find(predicate);
      if (found) return found;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error('No matching pending request appeared');
  }

  decide(id: string, body: DecisionInput): Promise<ApprovalRequest> {
    return this.#client.decide(id, body);
  }

  get(id: string): Promise<ApprovalRequest> {
    return this.#client.get(id);
  }
}
