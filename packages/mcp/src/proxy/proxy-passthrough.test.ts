import { parsePolicy } from '@countersign/core';
import {
  LoggingMessageNotificationSchema,
  ResourceUpdatedNotificationSchema,
} from '@modelcontextprotocol/sdk/types.js';
import { afterEach, describe, expect, it } from 'vitest';
import { startInProcessProxy } from '../test-support/in-process-proxy.js';

type Proxy = Awaited<ReturnType<typeof startInProcessProxy>>;
const proxies: Proxy[] = [];
afterEach(async () => {
  await Promise.all(proxies.splice(0).map((proxy) => proxy.close()));
});

async function start(options: Parameters<typeof startInProcessProxy>[0] = {}) {
  const proxy = await startInProcessProxy({ maxWaitMs: 30, ...options });
  proxies.push(proxy);
  return proxy;
}

const POLICY = parsePolicy(`version: 1
default: require
rules:
  - name: secret-resources
    tools: resources/read
    when: args.uri.startsWith("memo://secret/")
    action: require
  - name: no-greeting-mallory
    tools: prompts/get
    when: args.arguments.name == "mallory"
    action: deny
    message: Nobody greets mallory.
`);

function firstText(result: { contents: unknown[] }): string {
  return (result.contents[0] as { text: string }).text;
}

describe('everything else passes through the proxy', () => {
  it('lists and reads resources and templates, and forwards subscriptions', async () => {
    const proxy = await start();
    const capabilities = proxy.client.getServerCapabilities();
    expect(capabilities?.resources).toEqual({ listChanged: true, subscribe: true });
    const { resources } = await proxy.client.listResources();
    expect(resources.map((resource) => resource.uri).sort()).toEqual([
      'memo://notes',
      'memo://secret/plan',
      // The proxy's own: the approval card (an MCP App).
      'ui://countersign/approval-card',
    ]);
    const { resourceTemplates } = await proxy.client.listResourceTemplates();
    expect(resourceTemplates.map((template) => template.uriTemplate)).toEqual([
      'memo://items/{id}',
    ]);
    expect(firstText(await proxy.client.readResource({ uri: 'memo://notes' }))).toBe(
      'remember the milk',
    );
    expect(firstText(await proxy.client.readResource({ uri: 'memo://items/7' }))).toBe('item 7');
    const updated = new Promise<string>((resolve) => {
      proxy.client.setNotificationHandler(ResourceUpdatedNotificationSchema, (notification) =>
        resolve(notification.params.uri),
      );
    });
    await proxy.client.subscribeResource({ uri: 'memo://notes' });
    expect(await updated).toBe('memo://notes');
  });

  it('serves prompts with completion, and forwards logging', async () => {
    const proxy = await start();
    const { prompts } = await proxy.client.listPrompts();
    expect(prompts.map((prompt) => prompt.name)).toEqual(['greet']);
    const prompt = await proxy.client.getPrompt({ name: 'greet', arguments: { name: 'bob' } });
    expect(prompt.messages[0]?.content).toEqual({ type: 'text', text: 'Say hello to bob.' });
    const completion = await proxy.client.complete({
      ref: { type: 'ref/prompt', name: 'greet' },
      argument: { name: 'name', value: 'al' },
    });
    expect(completion.completion.values).toEqual(['alice']);
    const logged = new Promise<unknown>((resolve) => {
      proxy.client.setNotificationHandler(LoggingMessageNotificationSchema, (notification) =>
        resolve(notification.params.data),
      );
    });
    await proxy.client.setLoggingLevel('info');
    await proxy.client.callTool({ name: 'get_balance', arguments: { account: 'acme' } });
    expect(await logged).toBe('balance of acme read');
  });

  it('gates resources/read and prompts/get only where a rule names the kind', async () => {
    const proxy = await start({ policy: POLICY });
    // The policy's default (require) is about tools: reads no rule names pass.
    expect(firstText(await proxy.client.readResource({ uri: 'memo://notes' }))).toBe(
      'remember the milk',
    );
    await expect(proxy.client.readResource({ uri: 'memo://secret/plan' })).rejects.toThrow(
      /waits for human approval \(Countersign request req_/,
    );
    const [request] = proxy.service.requests();
    expect(request?.tool?.name).toBe('resources/read');
    // Asking again re-attaches to the same request instead of asking anew.
    await expect(proxy.client.readResource({ uri: 'memo://secret/plan' })).rejects.toThrow(
      request!.id,
    );
    await proxy.service.decide(request!.id, { outcome: 'approve' });
    expect(firstText(await proxy.client.readResource({ uri: 'memo://secret/plan' }))).toBe(
      'the secret plan',
    );
    expect(proxy.service.requests()).toHaveLength(1);
    await expect(
      proxy.client.getPrompt({ name: 'greet', arguments: { name: 'mallory' } }),
    ).rejects.toThrow('Nobody greets mallory.');
    const allowed = await proxy.client.getPrompt({ name: 'greet', arguments: { name: 'bob' } });
    expect(allowed.messages).toHaveLength(1);
  });
});
