import type { GateAllow } from '@countersign/core';
import { withApprovalOf } from '@countersign/core/adapter';

interface Invokable {
  invoke(input: unknown, config?: object): Promise<unknown>;
}

/**
 * The tool as `createAgent`'s tool node runs it, with the approval added to the config of its
 * `invoke` (the node builds that config itself; a middleware can only swap the tool).
 */
export function toolWithApproval<T>(tool: T, decision: GateAllow): T {
  if (decision.requestId === undefined || typeof tool !== 'object' || tool === null) return tool;
  const inner = tool as unknown as Invokable;
  if (typeof inner.invoke !== 'function') return tool;
  return new Proxy(tool, {
    get(target, key) {
      if (key === 'invoke') {
        return (input: unknown, config: object = {}) =>
          inner.invoke(input, withApprovalOf(config, decision));
      }
      const value = Reflect.get(target, key, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}
