import { afterEach, describe, expect, it } from 'vitest';
import { Authenticator } from '../auth/authenticator.js';
import { principalFromHeader } from '../http/auth-middleware.js';
import { KeepAlive } from '../http/event-stream.js';
import { OpenWaits } from '../http/open-waits.js';
import type { SseSink } from '../http/sse-sink.js';
import { startTestServer, type TestServer } from '../test/start-test-server.js';
import { axmeCall, intentBody } from '../test-support/axme-calls.js';
import { createHarness, type Harness } from '../test-support/harness.js';
import { openSse } from '../test-support/sse.js';
import { loadIntent } from './intent-access.js';
import { openIntentStream } from './intent-stream.js';

const CHANGES = 15;
/** 300 KB of payload, in strings under the server's string length limit (256 KiB). */
const bigIntent = () =>
  intentBody({
    payload: { diff: ['d'.repeat(100_000), 'd'.repeat(100_000), 'd'.repeat(100_000)] },
    human_task: { title: 'Review the diff', task_type: 'approval', assignees: ['alice'] },
  });
/** Every change re-assigns, so each is an `intent.human_task_assigned` event. */
const assigneesOf = (change: number) => (change % 2 === 0 ? ['alice', 'bob'] : ['alice']);
/** created, human_task_assigned, waiting; one per change; completed. */
const EXPECTED = ['intent.created', 'intent.human_task_assigned', 'intent.waiting']
  .concat(Array(CHANGES).fill('intent.human_task_assigned'))
  .concat('intent.completed');

let h: Harness | undefined;
let server: TestServer | undefined;
afterEach(async () => {
  await h?.close();
  await server?.close();
  h = undefined;
  server = undefined;
});

interface Written {
  seq: string;
  event: string;
}

/** A sink that always asks the writer to wait, and lets it go on only when told. */
function pressuredSink() {
  const written: Written[] = [];
  const writtenWhileWaiting: Written[] = [];
  let waiting = false;
  let release: (() => void) | undefined;
  let onWait: () => void = () => undefined;
  const firstWait = new Promise<void>((resolve) => {
    onWait = resolve;
  });
  let holdNext = true;
  const sink: SseSink = {
    write(text) {
      const [idLine, eventLine] = text.split('\n') as [string, string];
      const entry = { seq: idLine.slice(4), event: eventLine.slice(7) };
      (waiting ? writtenWhileWaiting : written).push(entry);
      return false;
    },
    drained() {
      waiting = true;
      return new Promise<void>((resolve) => {
        const done = () => {
          waiting = false;
          resolve();
        };
        if (holdNext) {
          holdNext = false;
          release = done;
          onWait();
        } else setImmediate(done);
      });
    },
    closed: new Promise<void>(() => undefined),
  };
  return {
    sink,
    written,
    writtenWhileWaiting,
    firstWait,
    release: () => release?.(),
  };
}

describe('AXME event stream: replay paced to the client', () => {
  it('waits for the client to drain before the next write, and queues live events behind the replay', async () => {
    const harness = await createHarness();
    h = harness;
    const created = await axmeCall(harness, harness.keys.agent, 'POST', '/v1/intents', bigIntent());
    expect(created.status, created.text).toBe(200);
    const id = created.body.intent_id as string;
    for (let change = 0; change < CHANGES; change++) {
      const patched = await axmeCall(
        harness,
        harness.keys.agent,
        'POST',
        `/v1/intents/${id}/policy`,
        {
          grants_patch: { assignees: assigneesOf(change) },
        },
      );
      expect(patched.status, patched.text).toBe(200);
    }
    const { context } = harness;
    const principal = await principalFromHeader(context.store, `Bearer ${harness.keys.agent}`);
    const request = await context.store.read((tx) => loadIntent(tx, principal, id));
    const waits = new OpenWaits({
      store: context.store,
      bus: context.bus,
      maxPerKey: 10,
      recheckMs: 60_000,
      logError: () => undefined,
    });
    const authenticator = new Authenticator({ store: context.store, clock: context.clock });
    const services = { context, keepAlive: new KeepAlive(60_000), waits, authenticator };
    const body = openIntentStream(services, principal, {
      request,
      since: 0,
      windowMs: 60_000,
    });
    expect(waits.size).toBe(1);
    const pressured = pressuredSink();
    const running = body(pressured.sink);

    await pressured.firstWait;
    // The first event's messages went out; the rest of the replay waits for the client.
    expect(pressured.written.map((each) => each.event)).toEqual(EXPECTED.slice(0, 3));
    const approved = await axmeCall(
      harness,
      harness.keys.alice,
      'POST',
      `/v1/inbox/${id}/approve`,
      {},
    );
    expect(approved.status, approved.text).toBe(200);
    expect(pressured.writtenWhileWaiting).toEqual([]);
    pressured.release();
    await running;

    expect(pressured.writtenWhileWaiting).toEqual([]);
    expect(pressured.written.map((each) => each.event)).toEqual(EXPECTED);
    expect(pressured.written.map((each) => Number(each.seq))).toEqual(
      EXPECTED.map((_, index) => index + 1),
    );
    expect(waits.size).toBe(0);
  });

  it('delivers every event of a large request with many changes to a client on a real server', async () => {
    server = await startTestServer({ keepAliveMs: 50 });
    const running = server;
    const agent = await running.createKey({ role: 'agent', name: 'bot' });
    const alice = await running.createKey({ role: 'reviewer', name: 'alice' });
    const call = async (key: string, path: string, body: unknown) => {
      const response = await fetch(`${running.url}${path}`, {
        method: 'POST',
        headers: { 'x-api-key': key, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      expect(response.status).toBe(200);
      return (await response.json()) as { intent_id: string };
    };
    const { intent_id: id } = await call(agent, '/v1/intents', bigIntent());
    for (let change = 0; change < CHANGES; change++) {
      await call(agent, `/v1/intents/${id}/policy`, {
        grants_patch: { assignees: assigneesOf(change) },
      });
    }
    await call(alice, `/v1/inbox/${id}/approve`, {});

    const stream = await openSse(`${running.url}/v1/intents/${id}/events/stream?wait_seconds=60`, {
      'x-api-key': agent,
    });
    const events: string[] = [];
    for (let index = 0; index < EXPECTED.length; index++) {
      events.push((await stream.next()).event as string);
    }
    expect(events).toEqual(EXPECTED);
    await stream.ended;
  });
});
