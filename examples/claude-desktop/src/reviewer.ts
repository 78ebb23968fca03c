import { type ApprovalRequest, CountersignClient, renderPreviewText } from '@countersign/core';

/** Options for {@link playReviewer}. */
export interface ReviewerOptions {
  url: string;
  reviewerKey: string;
  /** Only print how to decide (dashboard URL, CLI line) and leave the decision to you. */
  manual: boolean;
  /** How long the scripted reviewer takes before approving. */
  delayMs: number;
  log: (line: string) => void;
  signal: AbortSignal;
}

/**
 * The reviewer's side of one write: waits for the pending `write_file` request, then approves it
 * through the API after a moment, or (manual) says where a human can decide it.
 */
export async function playReviewer(options: ReviewerOptions): Promise<void> {
  const reviewer = new CountersignClient({ baseUrl: options.url, apiKey: options.reviewerKey });
  const request = await nextPending(reviewer, options.signal);
  options.log(`[reviewer] pending ${request.id}: ${request.action}`);
  if (request.preview) {
    // What the dashboard shows first: the policy's preview, here a diff of the file.
    for (const line of renderPreviewText(request.preview).split('\n')) options.log(`  | ${line}`);
  }
  if (options.manual) {
    options.log(`  Decide it on the dashboard: ${options.url}/  (sign in with the reviewer key)`);
    options.log(`  Reviewer key: ${options.reviewerKey}`);
    options.log('  or from the repository root:');
    options.log(
      `  COUNTERSIGN_URL=${options.url} COUNTERSIGN_API_KEY=${options.reviewerKey} npx -y pnpm@10 countersign approve ${request.id}`,
    );
    return;
  }
  await new Promise((resolve) => setTimeout(resolve, options.delayMs));
  options.signal.throwIfAborted();
  options.log('[reviewer] you approve it (scripted here; --manual to decide yourself)');
  await reviewer.decide(request.id, { outcome: 'approve', comment: 'Fine, write it' });
}

async function nextPending(
  reviewer: CountersignClient,
  signal: AbortSignal,
): Promise<ApprovalRequest> {
  for (;;) {
    signal.throwIfAborted();
    const { items } = await reviewer.list({ status: 'pending' });
    const found = items.find((request) => request.tool?.name === 'write_file');
    if (found) return found;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** One line per request on the server: id, tool, status and who decided. */
export async function summarize(url: string, reviewerKey: string): Promise<string[]> {
  const reviewer = new CountersignClient({ baseUrl: url, apiKey: reviewerKey });
  const { items } = await reviewer.list({ limit: 100 });
  return items.map(
    (request) =>
      `${request.id} ${request.tool?.name ?? request.kind} ${request.status}` +
      (request.resolution ? ` by ${request.resolution.by.join(', ')}` : ''),
  );
}
