import { invalidOptions } from '../errors/index.js';
import { parsePolicy } from '../policy/parse-policy.js';
import type { Policy, PolicyDecision, PolicyInput } from '../policy/policy-types.js';
import type { ControlState, Stop } from '../protocol/index.js';
import {
  type ControlEndpoint,
  fetchControlState,
  followControlStream,
  postShadowReport,
} from './control-connection.js';
import { readPolicyCache, writePolicyCache } from './policy-cache.js';
import { remoteMessages } from './remote-messages.js';
import type { RemotePolicy, RemotePolicyOptions } from './remote-policy-options.js';
import { ShadowTracker } from './shadow-tracker.js';

interface Loaded {
  version: number;
  policy: Policy;
}

/**
 * A policy managed on the Countersign server: `policy: remotePolicy('payments')`. It fetches the
 * active version at start, then follows changes over the control event stream (revalidating with
 * an ETag whenever the stream is lost), and evaluates from memory, so the allow path never waits
 * on the network. An emergency stop makes it deny every call. If the server cannot be reached at
 * start it denies every call (or runs `cacheFile`'s copy); a lost stream keeps the last version.
 */
export function remotePolicy(name: string, options: RemotePolicyOptions = {}): RemotePolicy {
  const baseUrl = options.baseUrl ?? process.env.COUNTERSIGN_URL;
  const apiKey = options.apiKey ?? process.env.COUNTERSIGN_API_KEY;
  const problems: string[] = [];
  if (!/^[a-z0-9][a-z0-9._-]{0,63}$/.test(name)) problems.push(`"${name}" is not a policy name`);
  if (!baseUrl) problems.push('baseUrl (or COUNTERSIGN_URL) is required');
  if (!apiKey) problems.push('apiKey (or COUNTERSIGN_API_KEY) is required');
  const maxStalenessMs = options.maxStalenessMs ?? 300_000;
  if (!(maxStalenessMs > 0)) problems.push('maxStalenessMs must be more than 0');
  let parsedUrl: URL | undefined;
  try {
    if (baseUrl) parsedUrl = new URL(baseUrl);
  } catch {
    problems.push(`baseUrl "${baseUrl}" is not a URL`);
  }
  if (problems.length > 0 || !parsedUrl || !apiKey) throw invalidOptions('remotePolicy', problems);
  const endpoint: ControlEndpoint = {
    baseUrl: parsedUrl,
    apiKey,
    policyName: name,
    dispatcher: options.dispatcher,
    timeoutMs: options.timeoutMs ?? 10_000,
  };
  return new RemotePolicyImpl(name, endpoint, options, maxStalenessMs);
}

class RemotePolicyImpl implements RemotePolicy {
  readonly name: string;
  readonly ready: Promise<void>;
  stop: Stop | null = null;
  connected = false;
  #active: Loaded | undefined;
  #shadow: Loaded | undefined;
  #etag: string | undefined;
  #problem = 'it has not answered yet';
  #lastContact = 0;
  readonly #endpoint: ControlEndpoint;
  readonly #options: RemotePolicyOptions;
  readonly #maxStalenessMs: number;
  readonly #log: (message: string) => void;
  readonly #abort = new AbortController();
  readonly #shadowTracker = new ShadowTracker();
  readonly #timer: NodeJS.Timeout;

  constructor(
    name: string,
    endpoint: ControlEndpoint,
    options: RemotePolicyOptions,
    maxStalenessMs: number,
  ) {
    this.name = name;
    this.#endpoint = endpoint;
    this.#options = options;
    this.#maxStalenessMs = maxStalenessMs;
    this.#log = options.log ?? ((message) => console.warn(message));
    this.#timer = setInterval(
      () => void this.flushShadowReport(),
      options.shadowReportIntervalMs ?? 5_000,
    );
    this.#timer.unref();
    this.ready = this.#start();
  }

  get version(): number | undefined {
    return this.#active?.version;
  }
  get source(): string {
    return this.#active ? `${this.name}@${this.#active.version}` : this.name;
  }
  get ruleCount(): number {
    return this.#active?.policy.ruleCount ?? 0;
  }
  get defaultAction() {
    return this.#active?.policy.defaultAction ?? 'deny';
  }
  get approvalDefaults() {
    return this.#active?.policy.approvalDefaults;
  }
  /** The name and version a request records. */
  get origin(): { name: string; version: number } | undefined {
    return this.#active ? { name: this.name, version: this.#active.version } : undefined;
  }

  scopeFor(toolName: string) {
    const scope = this.#active?.policy.scopeFor?.(toolName);
    return scope ?? { rules: [], default: { action: 'deny' as const } };
  }

  explain(input: PolicyInput) {
    const explanation = this.#active?.policy.explain?.(input);
    if (!explanation) throw new Error(`The policy "${this.name}" is not loaded`);
    return explanation;
  }

  evaluate(input: PolicyInput): PolicyDecision {
    if (this.stop) {
      return {
        action: 'deny',
        rule: 'countersign:stop',
        message: remoteMessages.stopped(this.stop),
      };
    }
    const active = this.#active;
    if (!active) {
      return { action: 'deny', message: remoteMessages.notLoaded(this.name, this.#problem) };
    }
    const decision = active.policy.evaluate(input);
    const silentMs = Date.now() - this.#lastContact;
    if (decision.action === 'allow' && silentMs > this.#maxStalenessMs) {
      return {
        action: 'deny',
        message: remoteMessages.stale(this.name, Math.round(silentMs / 1000)),
      };
    }
    const shadow = this.#shadow;
    if (shadow) {
      const versions = { active: active.version, shadow: shadow.version };
      this.#shadowTracker.record(versions, input.toolName, decision, shadow.policy.evaluate(input));
    }
    return decision;
  }

  async flushShadowReport(): Promise<void> {
    const report = this.#shadowTracker.take();
    if (!report) return;
    try {
      await postShadowReport(this.#endpoint, this.name, report);
    } catch (error) {
      this.#log(
        `countersign: could not send the shadow report of "${this.name}": ${describe(error)}`,
      );
    }
  }

  close(): void {
    this.#abort.abort();
    clearInterval(this.#timer);
  }

  #apply(state: ControlState, from: 'server' | 'cache'): void {
    this.#etag = state.etag;
    this.stop = state.stop;
    this.#active = this.#load(state.policy, this.#active) ?? this.#active;
    if (state.policy === null) {
      this.#active = undefined;
      this.#problem = 'the server has no active version of it';
    }
    this.#shadow = state.shadow === null ? undefined : this.#load(state.shadow, this.#shadow);
    if (from === 'server') {
      this.#lastContact = Date.now();
      void this.#saveCache(state);
    }
  }

  #load(policy: ControlState['policy'], current: Loaded | undefined): Loaded | undefined {
    if (policy === null) return undefined;
    if (current?.version === policy.version) return current;
    try {
      return {
        version: policy.version,
        policy: parsePolicy(policy.text, {
          file: `${this.name}@${policy.version} (${policy.file})`,
        }),
      };
    } catch (error) {
      this.#log(
        `countersign: cannot use ${this.name}@${policy.version}, keeping what runs: ${describe(error)}`,
      );
      return current;
    }
  }

  async #start(): Promise<void> {
    try {
      const state = await fetchControlState(this.#endpoint, undefined);
      if (state !== 'unchanged') this.#apply(state, 'server');
    } catch (error) {
      this.#problem = `it cannot be reached: ${describe(error)}`;
      const cached = await this.#readCache();
      if (cached) {
        this.#apply(cached, 'cache');
        // The copy counts as fresh from now: staleness then denies allowed calls after the limit.
        this.#lastContact = Date.now();
        this.#log(
          `countersign: the server is unreachable (${describe(error)}); running the cached ${this.source} from ${this.#options.cacheFile}`,
        );
      } else {
        this.#log(
          `countersign: the server is unreachable (${describe(error)}); every call is denied until policy "${this.name}" can be loaded`,
        );
      }
    }
    void this.#follow();
  }

  async #follow(): Promise<void> {
    let delay = this.#options.reconnectDelayMs ?? 250;
    const signal = this.#abort.signal;
    while (!signal.aborted) {
      try {
        await followControlStream(
          this.#endpoint,
          {
            onState: (state) => {
              if (!this.connected) {
                this.connected = true;
                delay = this.#options.reconnectDelayMs ?? 250;
              }
              this.#apply(state, 'server');
            },
            onContact: () => {
              this.#lastContact = Date.now();
            },
          },
          this.#options.streamIdleMs ?? 45_000,
          signal,
        );
        if (signal.aborted) return;
        this.#lost('the server ended it');
      } catch (error) {
        if (signal.aborted) return;
        this.#lost(describe(error));
      }
      await sleep(delay, signal);
      delay = Math.min(delay * 2, 10_000);
      // Revalidate before reopening, so a stream the server cannot serve still picks up changes.
      try {
        const state = await fetchControlState(this.#endpoint, this.#etag);
        if (state === 'unchanged') this.#lastContact = Date.now();
        else this.#apply(state, 'server');
      } catch {
        // Still unreachable: the stream attempt below says so.
      }
    }
  }

  #lost(reason: string): void {
    if (this.connected) {
      this.#log(
        `countersign: lost the control stream of policy "${this.name}" (${reason}); keeping ${this.source} and reconnecting`,
      );
    }
    this.connected = false;
  }

  async #readCache(): Promise<ControlState | undefined> {
    const file = this.#options.cacheFile;
    return file === undefined ? undefined : readPolicyCache(file);
  }

  async #saveCache(state: ControlState): Promise<void> {
    const file = this.#options.cacheFile;
    if (file === undefined) return;
    try {
      await writePolicyCache(file, state);
    } catch (error) {
      this.#log(`countersign: cannot write the policy cache ${file}: ${describe(error)}`);
    }
  }
}

function describe(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return typeof code === 'string' && !error.message.includes(code)
      ? `${code}: ${error.message}`
      : error.message || String(code);
  }
  return String(error);
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}
