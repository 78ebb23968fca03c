/** What one probe call gave. */
export interface ProbeResult {
  outcome: string;
  message: string;
  version?: number | undefined;
}

/**
 * Calls `probe` back to back (a few ms apart) forever and prints a line whenever the outcome,
 * the message or the policy version changes: `STATE <adapter> <outcome> v<version> <epoch ms>
 * <message>`. The test reads these lines to see when each process changed behaviour.
 */
export async function runProbe(adapter: string, probe: () => Promise<ProbeResult>): Promise<void> {
  let last = '';
  for (;;) {
    let result: ProbeResult;
    try {
      result = await probe();
    } catch (error) {
      result = {
        outcome: 'error',
        message: error instanceof Error ? error.message : String(error),
      };
    }
    const message = result.message.replace(/\s+/g, ' ').slice(0, 160);
    const key = `${result.outcome}|${result.version ?? '-'}|${message}`;
    if (key !== last) {
      last = key;
      process.stdout.write(
        `STATE ${adapter} ${result.outcome} v${result.version ?? '-'} ${Date.now()} ${message}\n`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
