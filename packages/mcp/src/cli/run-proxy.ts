import {
  createGate,
  DEFAULT_POLICY,
  loadPolicy,
  type Policy,
  PolicyInvalidError,
  remotePolicy,
} from '@countersign/core';
import { listenForMetrics } from '@countersign/core/telemetry';
import { collectDefaultMetrics } from 'prom-client';
import { gateMetrics } from '../metrics/gate-metrics.js';
import { PendingCallStore } from '../proxy/pending-call-store.js';
import { createProxyServerFactory } from '../proxy/proxy-server.js';
import type { Logger } from '../shared/logger.js';
import { StartupError } from '../shared/startup-error.js';
import { type ServingMcp, serveMcp } from '../transport/serve-mcp.js';
import { loadUpstreamConfig, type UpstreamSpec } from '../upstream/upstream-config.js';
import { UpstreamSet } from '../upstream/upstream-set.js';
import { connectCountersign } from './connect-countersign.js';
import type { ProxyCommand } from './parse-args.js';
import { unmatchedRuleWarnings } from './unmatched-rules.js';

async function readPolicy(file: string | undefined, logger: Logger): Promise<Policy> {
  if (file === undefined) return DEFAULT_POLICY;
  if (file.startsWith('server:')) {
    // A central policy: followed live from COUNTERSIGN_URL; unreachable at start means every call
    // is denied (COUNTERSIGN_POLICY_CACHE names a file whose last copy may run instead).
    const cacheFile = process.env.COUNTERSIGN_POLICY_CACHE;
    const policy = remotePolicy(file.slice('server:'.length), {
      ...(cacheFile ? { cacheFile } : {}),
      log: (message) => logger.warn(message),
    });
    await policy.ready;
    return policy;
  }
  try {
    return await loadPolicy(file);
  } catch (error) {
    if (PolicyInvalidError.isInstance(error)) {
      throw new StartupError('policy_invalid', `Bad policy: ${error.message}`, error);
    }
    throw error;
  }
}

async function upstreamSpecs(command: ProxyCommand): Promise<UpstreamSpec[]> {
  if (command.configFile) return loadUpstreamConfig(command.configFile);
  if (command.upstreamUrl) return [{ name: command.upstreamName, url: command.upstreamUrl }];
  const [program, ...args] = command.upstreamCommand ?? [];
  return [{ name: command.upstreamName, command: program!, args }];
}

/** Starts the gating proxy from parsed CLI options; rejects with a {@link StartupError}. */
export async function runProxy(command: ProxyCommand, logger: Logger): Promise<ServingMcp> {
  const policy = await readPolicy(command.policyFile, logger);
  const specs = await upstreamSpecs(command);
  const store = await PendingCallStore.open(command.stateFile);
  let service: Awaited<ReturnType<typeof connectCountersign>> | undefined;
  if (process.env.COUNTERSIGN_URL || command.channel === 'server') {
    service = await connectCountersign();
  } else {
    logger.warn(
      'COUNTERSIGN_URL is not set: calls that need approval are asked in the client; ' +
        'clients without elicitation get them denied',
    );
  }
  const metrics = command.metricsPort === undefined ? undefined : gateMetrics();
  if (metrics) collectDefaultMetrics({ register: metrics.registry, prefix: 'countersign_mcp_' });
  const upstreams = await UpstreamSet.connect(specs);
  const gate = createGate({
    policy,
    ...(service ? { service } : {}),
    ...(metrics ? { onDecision: metrics.onDecision } : {}),
  });
  const factory = createProxyServerFactory({
    upstreams,
    gate,
    ...(service ? { requests: service } : {}),
    store,
    maxWaitMs: command.maxWaitMs,
    progressIntervalMs: command.progressIntervalMs,
    defaultChannel: command.channel,
    ...(command.publicUrl ? { publicUrl: command.publicUrl } : {}),
    logger,
  });
  let serving: ServingMcp;
  try {
    serving = await serveMcp(factory, {
      logger,
      ...(command.httpPort === undefined
        ? {}
        : { http: { port: command.httpPort, host: command.host } }),
    });
  } catch (error) {
    await upstreams.close();
    throw new StartupError(
      'service_unavailable',
      `Cannot listen: ${(error as Error).message}`,
      error,
    );
  }
  const metricsListener =
    metrics && command.metricsPort !== undefined
      ? await listenForMetrics(metrics.registry, command.metricsPort)
      : undefined;
  if (metricsListener) logger.info(`metrics at ${metricsListener.url}`);
  void serving.closed.then(() => {
    factory.stopTasks();
    return Promise.all([upstreams.close(), metricsListener?.close()]);
  });
  const names = upstreams.tools().map((tool) => tool.exposedName);
  logger.info(`proxying ${names.length} tools (${policy.source}): ${names.join(', ')}`);
  if (command.policyFile) {
    for (const warning of await unmatchedRuleWarnings(command.policyFile, policy, names)) {
      logger.warn(warning);
    }
  }
  return {
    ...serving,
    async close() {
      factory.stopTasks();
      await serving.close();
      await upstreams.close();
      await metricsListener?.close();
    },
  };
}
