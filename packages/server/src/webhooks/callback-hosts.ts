import { CountersignError } from '@countersign/core/protocol';
import { fail } from '../service/failures.js';

/** One parsed allow-list entry. */
interface HostRule {
  /** The entry as the operator wrote it, for messages. */
  entry: string;
  /** Normalized host name (lower case, punycode, IPv6 in brackets), without the `*.` prefix. */
  host: string;
  /** Matches strict subdomains of `host` (entry `*.host`), never `host` itself. */
  wildcard: boolean;
  /** Only this port when given; any port otherwise. */
  port?: number;
}

const PORT_SUFFIX = /^(.+?)(?::(\d{1,5}))?$/;
const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;
// Characters that would make the entry a URL (scheme, path, credentials, query) rather than a host.
const NOT_A_HOST = /[\s/\\?#@%*]/;

/**
 * The operator's allow-list for per-request callback URLs (`callbackUrl`, Ambedo `webhookUrl`).
 * Entries are `host` (any port), `host:port` (that port only; a URL without a port uses 80 for
 * http and 443 for https), or `*.domain[:port]` for every subdomain of `domain` (not `domain`
 * itself). Hosts are compared after the WHATWG URL normalization, so `EXAMPLE.com` and
 * `example.com` are the same entry.
 */
export class CallbackHostList {
  readonly #rules: readonly HostRule[];

  private constructor(rules: HostRule[]) {
    this.#rules = rules;
  }

  /**
   * Parses the entries; throws a `validation_failed` error naming the first malformed one, so bad configuration
   * fails at start rather than per request. An empty list allows no callback URL at all.
   */
  static parse(entries: readonly string[]): CallbackHostList {
    if (!Array.isArray(entries))
      throw fail('validation_failed', 'callbackHosts must be an array of strings');
    return new CallbackHostList(entries.map(parseEntry));
  }

  /** The entries as given. */
  get entries(): string[] {
    return this.#rules.map((rule) => rule.entry);
  }

  /** Whether `url` is an http(s) URL whose host (and port) an entry allows. */
  allows(url: string): boolean {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      return false;
    }
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return false;
    const port =
      parsed.port === '' ? (parsed.protocol === 'https:' ? 443 : 80) : Number(parsed.port);
    const host = parsed.hostname;
    return this.#rules.some((rule) => {
      if (rule.port !== undefined && rule.port !== port) return false;
      if (!rule.wildcard) return host === rule.host;
      return host.length > rule.host.length + 1 && host.endsWith(`.${rule.host}`);
    });
  }
}

function malformed(entry: unknown, why: string): CountersignError {
  return fail(
    'validation_failed',
    `callbackHosts entry ${JSON.stringify(entry)} is malformed: ${why}. ` +
      'Use host, host:port or *.domain (for example "hooks.example.com", "10.0.0.5:8080", "*.internal")',
  );
}

function parseEntry(entry: string): HostRule {
  if (typeof entry !== 'string' || entry.trim() === '') throw malformed(entry, 'it is empty');
  const wildcard = entry.startsWith('*.');
  const rest = wildcard ? entry.slice(2) : entry;
  if (NOT_A_HOST.test(rest)) {
    throw malformed(entry, 'give a host name, not a URL (no scheme, path, spaces or inner "*")');
  }
  const [, hostPart = '', portText] = PORT_SUFFIX.exec(rest) ?? [];
  let host: string;
  try {
    if (hostPart.endsWith(':')) throw new Error('empty port');
    const parsed = new URL(`http://${hostPart}`);
    if (parsed.port !== '' || parsed.pathname !== '/') throw new Error('not a bare host');
    host = parsed.hostname;
  } catch {
    throw malformed(entry, 'it is not a valid host name or address');
  }
  if (host === '') throw malformed(entry, 'it is not a valid host name or address');
  if (wildcard && (IPV4.test(host) || host.startsWith('['))) {
    throw malformed(entry, 'a "*." wildcard needs a domain name, not an IP address');
  }
  const rule: HostRule = { entry, host, wildcard };
  if (portText !== undefined) {
    const port = Number(portText);
    if (port < 1 || port > 65535) throw malformed(entry, 'the port must be 1-65535');
    rule.port = port;
  }
  return rule;
}

/**
 * Refuses a callback URL whose host is not on the allow-list (no list: everything passes) with a
 * 400 `validation_failed` naming the field; the caller has stored nothing yet.
 */
export function assertCallbackAllowed(
  hosts: CallbackHostList | undefined,
  url: string,
  field: string,
): void {
  if (!hosts || hosts.allows(url)) return;
  let host = url;
  try {
    host = new URL(url).host;
  } catch {
    // The schema already requires a URL; keep the raw text for the message if it is not one.
  }
  const message =
    `${field} host "${host}" is not on this server's callback allow-list; ` +
    'the operator must add it (callbackHosts, --callback-hosts or COUNTERSIGN_CALLBACK_HOSTS)';
  throw new CountersignError('validation_failed', {
    message,
    details: { field, host, issues: [{ path: field, message, code: 'callback_host_not_allowed' }] },
  });
}
