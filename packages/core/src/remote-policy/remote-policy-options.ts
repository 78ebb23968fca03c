import type { Dispatcher } from 'undici';
import type { Policy } from '../policy/policy-types.js';
import type { Stop } from '../protocol/index.js';

/** Options of {@link remotePolicy}. */
export interface RemotePolicyOptions {
  /** The server's base URL. Default: `process.env.COUNTERSIGN_URL`. */
  baseUrl?: string;
  /** An API key (an agent key: stops of `--agent NAME` reach it). Default: `COUNTERSIGN_API_KEY`. */
  apiKey?: string;
  /**
   * A file that keeps the last state fetched. When set and the server cannot be reached at
   * start, the gate runs that copy (and says so in its log) instead of denying everything.
   * Default: none, fail closed.
   */
  cacheFile?: string;
  /**
   * How long the gate keeps allowing calls without hearing from the server (the stream's
   * keep-alives or a revalidation). Past it, calls its policy allows are denied too, because the
   * gate cannot tell whether an operator stopped it; calls that need approval fail closed anyway.
   * Default: 300,000 ms (5 minutes). `Infinity` never denies for staleness.
   */
  maxStalenessMs?: number;
  /** How long one fetch may take before the server counts as unreachable. Default: 10,000 ms. */
  timeoutMs?: number;
  /** A silent stream (no event, no keep-alive) for this long is reconnected. Default: 45,000 ms. */
  streamIdleMs?: number;
  /** First delay before reconnecting a lost stream; doubles up to 10 s. Default: 250 ms. */
  reconnectDelayMs?: number;
  /** How often shadow-mode counts are sent to the server. Default: 5,000 ms. */
  shadowReportIntervalMs?: number;
  /** The undici dispatcher to send through. Default: undici's global one. */
  dispatcher?: Dispatcher;
  /** Where connection changes are logged. Default: `console.warn`. */
  log?: (message: string) => void;
}

/** A policy that follows a central policy on the server (see {@link remotePolicy}). */
export interface RemotePolicy extends Policy {
  /** The central policy's name. */
  readonly name: string;
  /** The version being evaluated; undefined until one is loaded. */
  readonly version: number | undefined;
  /** The emergency stop in force for this gate, or null. */
  readonly stop: Stop | null;
  /** Whether the stream to the server is open right now. */
  readonly connected: boolean;
  /** Resolves once the first state is loaded (server or cache) or the first attempt failed. */
  readonly ready: Promise<void>;
  /** Sends the shadow-mode counts now (they are otherwise sent every few seconds). */
  flushShadowReport(): Promise<void>;
  /** Closes the stream and stops every timer. */
  close(): void;
}
