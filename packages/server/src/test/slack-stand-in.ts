import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One Web API call the {@link SlackStandIn} received, with its arguments decoded. */
export interface SlackCall {
  /** The method, such as `chat.postMessage`. */
  method: string;
  /** The bearer token the call carried. */
  token: string | undefined;
  /** The form fields; JSON-encoded fields (`blocks`, `view`) are parsed back. */
  args: Record<string, unknown>;
  /** The `ts` the stand-in answered with, for calls that create or update a message. */
  ts?: string;
}

/** A failure to answer with, instead of Slack's success. */
export interface SlackFailure {
  /** An HTTP status other than 200 (a 5xx outage, a 429 rate limit). */
  status?: number;
  /** Slack's `error` string in an `{ ok: false }` body, such as `channel_not_found`. */
  error?: string;
}

const JSON_FIELDS = new Set(['blocks', 'attachments', 'view', 'metadata']);

/**
 * A stand-in for the Slack Web API on 127.0.0.1, for tests: the real `@slack/web-api` `WebClient`
 * talks to it when given `slackApiUrl: standIn.apiUrl`. It reads form-encoded and JSON calls as
 * Slack does, records `chat.postMessage`, `chat.update`, `chat.postEphemeral` and `views.open`,
 * and answers like Slack (`{ ok: true, channel, ts }`), or with the failure set by {@link failNext}
 * or {@link failAll}.
 */
export class SlackStandIn {
  /** Every call, oldest first. */
  readonly calls: SlackCall[] = [];
  /** Only the token accepted (any when unset); others get `{ ok: false, error: 'invalid_auth' }`. */
  token: string | undefined;
  /** Called with each call as it arrives (a benchmark timestamps them here). */
  onCall: ((call: SlackCall) => void) | undefined;
  #server: Server | undefined;
  #port = 0;
  #sequence = 0;
  #failures: SlackFailure[] = [];
  #always: SlackFailure | undefined;
  readonly #channels = new Map<string, string>();

  /** `http://127.0.0.1:PORT/api/`, the `slackApiUrl` to give the client. */
  get apiUrl(): string {
    return `http://127.0.0.1:${this.#port}/api/`;
  }

  /** The calls of one method, oldest first. */
  callsOf(method: string): SlackCall[] {
    return this.calls.filter((call) => call.method === method);
  }

  /** Answers the next `count` calls with `failure`. */
  failNext(failure: SlackFailure, count = 1): void {
    for (let index = 0; index < count; index += 1) this.#failures.push(failure);
  }

  /** Answers every call with `failure` until called again with undefined. */
  failAll(failure: SlackFailure | undefined): void {
    this.#always = failure;
  }

  /** Answers every call naming `channel` with Slack's `{ ok: false, error }` (e.g. `channel_not_found`). */
  failChannel(channel: string, error: string): void {
    this.#channels.set(channel, error);
  }

  /** Starts listening on a free loopback port. */
  async start(): Promise<void> {
    this.#server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const method = (request.url ?? '').replace(/^\/api\//, '').split('?')[0] ?? '';
        const body = Buffer.concat(chunks).toString('utf8');
        const answer = this.#answer(
          method,
          request.headers.authorization,
          request.headers['content-type'],
          body,
        );
        response.writeHead(answer.status, { 'content-type': 'application/json; charset=utf-8' });
        response.end(JSON.stringify(answer.body));
      });
    });
    await new Promise<void>((resolve) => this.#server?.listen(0, '127.0.0.1', resolve));
    this.#port = (this.#server.address() as AddressInfo).port;
  }

  /** Stops listening. */
  async stop(): Promise<void> {
    const server = this.#server;
    await new Promise<void>((resolve) => {
      if (!server) return resolve();
      server.close(() => resolve());
      server.closeAllConnections();
    });
  }

  #answer(
    method: string,
    authorization: string | undefined,
    contentType: string | undefined,
    body: string,
  ): { status: number; body: Record<string, unknown> } {
    const failure = this.#failures.shift() ?? this.#always;
    if (failure?.status && failure.status !== 200) {
      return { status: failure.status, body: { ok: false, error: failure.error ?? 'fatal_error' } };
    }
    const token = authorization?.replace(/^Bearer /, '');
    const call: SlackCall = { method, token, args: decodeArguments(contentType, body) };
    this.calls.push(call);
    this.onCall?.(call);
    if (failure) return { status: 200, body: { ok: false, error: failure.error ?? 'fatal_error' } };
    const refused = this.#channels.get(String(call.args.channel ?? ''));
    if (refused) return { status: 200, body: { ok: false, error: refused } };
    if (this.token !== undefined && token !== this.token) {
      return { status: 200, body: { ok: false, error: 'invalid_auth' } };
    }
    return { status: 200, body: this.#success(call) };
  }

  #success(call: SlackCall): Record<string, unknown> {
    const channel = String(call.args.channel ?? '');
    if (call.method === 'chat.postMessage') {
      // A DM to a user id is answered with the id of the DM channel, as Slack does.
      const answered = channel.startsWith('U') ? `D${channel.slice(1)}` : channel;
      call.ts = this.#nextTs();
      return { ok: true, channel: answered, ts: call.ts, message: { text: call.args.text } };
    }
    if (call.method === 'chat.update') {
      call.ts = String(call.args.ts);
      return { ok: true, channel, ts: call.ts, text: call.args.text };
    }
    if (call.method === 'chat.postEphemeral') return { ok: true, message_ts: this.#nextTs() };
    if (call.method === 'views.open') {
      return { ok: true, view: { id: `V${this.calls.length}`, ...(call.args.view as object) } };
    }
    if (call.method === 'auth.test') return { ok: true, user_id: 'UBOT', team_id: 'T0001' };
    return { ok: false, error: 'unknown_method' };
  }

  #nextTs(): string {
    this.#sequence += 1;
    return `1700000000.${String(this.#sequence).padStart(6, '0')}`;
  }
}

function decodeArguments(contentType: string | undefined, body: string): Record<string, unknown> {
  if (contentType?.includes('application/json')) {
    try {
      return JSON.parse(body) as Record<string, unknown>;
    } catch {
      return {};
    }
  }
  const args: Record<string, unknown> = {};
  for (const [name, value] of new URLSearchParams(body)) {
    if (!JSON_FIELDS.has(name)) {
      args[name] = value;
      continue;
    }
    try {
      args[name] = JSON.parse(value);
    } catch {
      args[name] = value;
    }
  }
  return args;
}
