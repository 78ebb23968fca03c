// A minimal client in the shape of the AXME SDKs (create_intent, get_intent, observe, inbox,
// approve), on plain fetch with the key sent as `x-api-key` exactly as the SDKs send it. Nothing
// in it knows about Countersign: point `baseUrl` at AXME's gateway or at `countersign serve`.
import { randomUUID } from 'node:crypto';

export interface AxmeClientConfig {
  baseUrl: string;
  apiKey: string;
}

export interface IntentEvent {
  seq: number;
  event_type: string;
  status: string;
  waiting_reason?: string;
  details?: Record<string, unknown>;
}

const TERMINAL = new Set(['COMPLETED', 'FAILED', 'CANCELED', 'TIMED_OUT']);

export class AxmeStyleClient {
  readonly #config: AxmeClientConfig;

  constructor(config: AxmeClientConfig) {
    this.#config = config;
  }

  async #call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
    const response = await fetch(new URL(path, this.#config.baseUrl), {
      method,
      headers: {
        'x-api-key': this.#config.apiKey,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...headers,
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const json = (await response.json()) as Record<string, unknown>;
    if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${json.detail}`);
    return json;
  }

  health() {
    return this.#call('GET', '/health');
  }

  createIntent(intent: Record<string, unknown>, options: { idempotencyKey?: string } = {}) {
    return this.#call(
      'POST',
      '/v1/intents',
      { correlation_id: randomUUID(), ...intent },
      options.idempotencyKey ? { 'idempotency-key': options.idempotencyKey } : {},
    );
  }

  getIntent(intentId: string) {
    return this.#call('GET', `/v1/intents/${intentId}`);
  }

  listInbox() {
    return this.#call('GET', '/v1/inbox');
  }

  approveInboxThread(threadId: string, comment?: string) {
    return this.#call('POST', `/v1/inbox/${threadId}/approve`, comment ? { comment } : {});
  }

  /**
   * Yields the intent's lifecycle events from the SSE stream, reconnecting from the highest `seq`
   * after each `stream.timeout` window, and stops after a terminal status.
   */
  async *observe(intentId: string, options: { since?: number; waitSeconds?: number } = {}) {
    let since = options.since ?? 0;
    for (;;) {
      const url = new URL(`/v1/intents/${intentId}/events/stream`, this.#config.baseUrl);
      url.searchParams.set('since', String(since));
      url.searchParams.set('wait_seconds', String(options.waitSeconds ?? 15));
      const response = await fetch(url, { headers: { 'x-api-key': this.#config.apiKey } });
      if (!response.ok || !response.body) throw new Error(`observe: ${response.status}`);
      let buffer = '';
      const decoder = new TextDecoder();
      for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
        buffer += decoder.decode(chunk, { stream: true });
        for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
          const frame = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const type = /^event: (.*)$/m.exec(frame)?.[1];
          const data = /^data: (.*)$/m.exec(frame)?.[1];
          if (!type || !data || type === 'stream.timeout') continue;
          const event = JSON.parse(data) as IntentEvent;
          since = Math.max(since, event.seq);
          yield event;
          if (TERMINAL.has(event.status)) return;
        }
      }
    }
  }
}
