// A local Slack: the server's Slack Web API stand-in on a loopback port. Countersign's real Slack
// client posts to it as it would to slack.com; this prints what a Slack user would see.
import { type SlackCall, SlackStandIn } from '@countersign/server/test';

/** The Slack app's settings for `startServer`, pointed at the stand-in. */
export interface LocalSlack {
  options: { botToken: string; signingSecret: string; defaultChannel: string; apiUrl: string };
  /** Resolves once `count` calls of `method` have arrived. */
  calls(method: string, count: number): Promise<SlackCall[]>;
  close(): Promise<void>;
}

export async function openLocalSlack(): Promise<LocalSlack> {
  const standIn = new SlackStandIn();
  standIn.token = 'xoxb-local-example-token';
  await standIn.start();
  return {
    options: {
      botToken: 'xoxb-local-example-token',
      signingSecret: 'localexamplesigningsecret0',
      defaultChannel: '#approvals',
      apiUrl: standIn.apiUrl,
    },
    async calls(method, count) {
      const deadline = Date.now() + 10_000;
      while (standIn.callsOf(method).length < count) {
        if (Date.now() > deadline) throw new Error(`Slack got no ${method} in time`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      return standIn.callsOf(method);
    },
    close: () => standIn.stop(),
  };
}

/** One Slack message as a person reads it: its text blocks and its buttons. */
export function describeMessage(call: SlackCall): string {
  const lines: string[] = [];
  for (const block of (call.args.blocks ?? []) as Record<string, unknown>[]) {
    const text = (block.text as { text?: string } | undefined)?.text;
    if (text) lines.push(`  ${text.replace(/\n/g, '\n  ')}`);
    for (const element of (block.elements ?? []) as Record<string, unknown>[]) {
      const label = (element.text as { text?: string } | undefined)?.text ?? element.text;
      if (block.type === 'actions')
        lines.push(`  [${label}]${element.url ? ` → ${element.url}` : ''}`);
      else if (typeof label === 'string') lines.push(`  ${label}`);
    }
  }
  return lines.join('\n');
}
