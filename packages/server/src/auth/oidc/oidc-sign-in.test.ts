import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestServer } from '../../test/start-test-server.js';
import type { TestOidcProvider } from '../../test-support/oidc-test-provider.js';
import { type OidcTestSetup, startOidcTestSetup } from '../../test-support/oidc-test-server.js';
import { ProviderPerson } from '../../test-support/provider-person.js';

// A real OpenID provider (oidc-provider) and a real Countersign server on loopback; people sign
// in by filling the provider's own forms.

let idp: TestOidcProvider;
let server: TestServer;
let publicUrl: string;
let agentKey: string;

const PEOPLE = [
  { login: 'alice', email: 'alice@example.com', groups: ['finance'] },
  { login: 'root', email: 'root@example.com', groups: ['admins'] },
  { login: 'mallory', email: 'mallory@other.org', groups: ['finance'] },
  { login: 'mark', email: 'mark@example.com', groups: ['marketing'] },
  { login: 'gina', email: 'gina@example.com', groups: ['finance', 'ops'] },
  { login: 'carol', email: 'carol@example.com', groups: ['finance'] },
  { login: 'dave', email: 'dave@example.com', groups: ['finance'] },
];

let setup: OidcTestSetup;
beforeAll(async () => {
  setup = await startOidcTestSetup({
    people: PEOPLE,
    server: { manualClock: true, reviewerAuth: 'oidc', limits: { keyRecheckMs: 50 } },
    oidc: {
      providerName: 'Test IdP',
      allowedEmailDomains: ['example.com'],
      allowedGroups: ['finance', 'admins'],
      adminGroup: 'admins',
    },
  });
  ({ idp, server, publicUrl } = setup);
  agentKey = await server.createKey({ role: 'agent', name: 'billing-bot' });
});
afterAll(async () => {
  await setup?.close();
});

const isCallback = (url: URL) => url.pathname === '/auth/oidc/callback';

/** Signs `login` in up to the provider's redirect back to Countersign (not yet followed). */
async function untilCallback(login: string) {
  const person = new ProviderPerson(login);
  const { url } = await person.browse(`${publicUrl}/auth/oidc/login`, { stopAt: isCallback });
  return { person, callback: new URL(url) };
}

async function sessionOf(person: ProviderPerson) {
  const response = await person.request(`${publicUrl}/auth/session`);
  return (await response.json()) as {
    methods: { key: boolean; oidc: { name: string } | null };
    session: { principal: string; role: string; groups: string[]; csrfToken: string } | null;
  };
}

async function signedInAs(login: string) {
  const { person, callback } = await untilCallback(login);
  const answer = await person.request(callback.href);
  expect(answer.status, await answer.clone().text()).toBe(303);
  return { person, session: (await sessionOf(person)).session };
}

async function signIns(): Promise<number> {
  const response = await fetch(`${server.url}/v1/audit?format=jsonl`, {
    headers: { authorization: `Bearer ${server.adminKey}` },
  });
  return (await response.text()).split('\n').filter((line) => line.includes('user.signed_in'))
    .length;
}

async function admin(method: string, path: string, body?: unknown) {
  const response = await fetch(`${server.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${server.adminKey}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

async function createRequest(assignees: string[]) {
  const response = await fetch(`${server.url}/v1/requests`, {
    method: 'POST',
    headers: { authorization: `Bearer ${agentKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      action: 'Refund 40 EUR',
      assignees,
      tool: { name: 'refund', args: { amount: 40 }, schema: { type: 'object' } },
    }),
  });
  expect(response.status).toBe(201);
  return (await response.json()) as { id: string; version: number };
}

describe('OpenID Connect sign-in', () => {
  it('tells which sign-in methods are on', async () => {
    const { methods, session } = await sessionOf(new ProviderPerson('nobody'));
    expect(methods.key).toBe(false);
    expect(methods.oidc?.name).toBe('Test IdP');
    expect(session).toBeNull();
  });

  it('signs a reviewer in with a session cookie that acts as user:NAME with their groups', async () => {
    const { person, session } = await signedInAs('alice');
    expect(session).toMatchObject({
      principal: 'user:alice',
      role: 'reviewer',
      groups: ['finance'],
    });
    const cookie = person.cookieFor(publicUrl);
    expect(cookie).toMatch(/^countersign-session=css_/);
    const me = await person.request(`${publicUrl}/v1/me`);
    expect(await me.json()).toMatchObject({ principal: 'user:alice', groups: ['finance'] });
  });

  it('makes members of the admin group admins', async () => {
    const { session } = await signedInAs('root');
    expect(session).toMatchObject({ principal: 'user:root', role: 'admin' });
  });

  it('sets the session cookie HttpOnly and SameSite=Lax (no Secure on loopback HTTP)', async () => {
    const { person, callback } = await untilCallback('alice');
    const answer = await person.request(callback.href);
    const cookie = answer.headers
      .getSetCookie()
      .find((line) => line.startsWith('countersign-session='));
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
    expect(cookie).not.toMatch(/Secure/);
  });

  it('refuses reviewer keys when reviewers must use the identity provider', async () => {
    const key = await server.createKey({ role: 'reviewer', name: 'keyed' });
    const response = await fetch(`${server.url}/v1/me`, {
      headers: { authorization: `Bearer ${key}` },
    });
    expect(response.status).toBe(401);
    expect(((await response.json()) as { error: { message: string } }).error.message).toMatch(
      /Reviewer keys are switched off/,
    );
  });
});

describe('refused sign-ins change nothing', () => {
  async function refused(callback: URL, person: ProviderPerson, status: number, message: RegExp) {
    const before = await signIns();
    const answer = await person.request(callback.href);
    const page = await answer.text();
    expect(answer.status, page).toBe(status);
    expect(page).toMatch(message);
    expect(page).toContain('Nothing was changed');
    expect(
      answer.headers.getSetCookie().some((line) => /^countersign-session=css_/.test(line)),
    ).toBe(false);
    expect((await sessionOf(person)).session).toBeNull();
    expect(await signIns()).toBe(before);
  }

  it('a wrong state', async () => {
    const { person, callback } = await untilCallback('alice');
    callback.searchParams.set('state', 'forged-state');
    await refused(callback, person, 401, /not started in this browser/);
  });

  it('a replayed code', async () => {
    const { person, callback } = await untilCallback('alice');
    const signInCookie = /countersign-sign-in=([^;]+)/.exec(person.cookieFor(publicUrl))?.[1];
    expect((await person.request(callback.href)).status).toBe(303);
    const replayer = new ProviderPerson('alice');
    replayer.setCookie(publicUrl, 'countersign-sign-in', signInCookie as string);
    await refused(callback, replayer, 401, /already used or has expired/);
  });

  it('an issuer mismatch in the answer', async () => {
    const { person, callback } = await untilCallback('alice');
    callback.searchParams.set('iss', 'http://127.0.0.1:1/evil');
    await refused(callback, person, 401, /could not be verified/);
  });

  it('an email domain that is not allowed', async () => {
    const { person, callback } = await untilCallback('mallory');
    await refused(callback, person, 403, /Accounts of other\.org may not sign in here/);
  });

  it('a group that is not allowed', async () => {
    const { person, callback } = await untilCallback('mark');
    await refused(callback, person, 403, /Only members of finance, admins may sign in here/);
  });
});

describe('a session acts as the reviewer and nothing more', () => {
  it('sees only assigned requests and decides with the Origin check and the CSRF token', async () => {
    const mine = await createRequest(['group:finance']);
    const other = await createRequest(['user:bob']);
    const { person, session } = await signedInAs('alice');
    const list = await person.request(`${publicUrl}/v1/requests?status=pending`);
    const ids = ((await list.json()) as { items: { id: string }[] }).items.map((item) => item.id);
    expect(ids).toContain(mine.id);
    expect(ids).not.toContain(other.id);

    const decide = (headers: Record<string, string>) =>
      person.request(`${publicUrl}/v1/requests/${mine.id}/decisions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify({ outcome: 'approve', expectedVersion: mine.version }),
      });
    const crossSite = await decide({ origin: 'http://evil.example' });
    expect(crossSite.status).toBe(403);
    expect(await crossSite.text()).toMatch(/may change things only from/);
    const noToken = await decide({ origin: publicUrl });
    expect(noToken.status).toBe(403);
    expect(await noToken.text()).toMatch(/X-CSRF-Token/);
    const stillPending = await fetch(`${server.url}/v1/requests/${mine.id}`, {
      headers: { authorization: `Bearer ${server.adminKey}` },
    });
    expect(((await stillPending.json()) as { status: string }).status).toBe('pending');

    const approved = await decide({ origin: publicUrl, 'x-csrf-token': session?.csrfToken ?? '' });
    expect(approved.status, await approved.clone().text()).toBe(200);
    const body = (await approved.json()) as { status: string; decisions: { principal: string }[] };
    expect(body.status).toBe('approved');
    expect(body.decisions.map((decision) => decision.principal)).toEqual(['user:alice']);
  });

  it('ends at sign-out on the server, and the cookie no longer works', async () => {
    const { person, session } = await signedInAs('alice');
    const cookie = person.cookieFor(publicUrl);
    const out = await person.request(`${publicUrl}/auth/logout`, {
      method: 'POST',
      headers: { origin: publicUrl, 'x-csrf-token': session?.csrfToken ?? '' },
    });
    expect(out.status).toBe(204);
    const again = await fetch(`${publicUrl}/v1/me`, { headers: { cookie } });
    expect(again.status).toBe(401);
    expect(await again.text()).toMatch(/signed out/);
  });

  it('ends open streams at sign-out and at expiry', async () => {
    const open = async (person: ProviderPerson) => {
      const stream = await person.request(`${publicUrl}/v1/events`, {
        headers: { accept: 'text/event-stream' },
      });
      expect(stream.status).toBe(200);
      const reader = (stream.body as ReadableStream<Uint8Array>).getReader();
      return async () => {
        for (;;) if ((await reader.read()).done) return;
      };
    };
    const first = await signedInAs('alice');
    const ended = await open(first.person);
    await first.person.request(`${publicUrl}/auth/logout`, {
      method: 'POST',
      headers: { origin: publicUrl, 'x-csrf-token': first.session?.csrfToken ?? '' },
    });
    await ended();
    const second = await signedInAs('alice');
    const expired = await open(second.person);
    // Past the absolute timeout: the periodic re-check of open waits finds the session expired.
    await server.clock.advance(13 * 3_600_000);
    await expired();
  });

  it('expires after the idle timeout', async () => {
    const { person } = await signedInAs('alice');
    await server.clock.advance(31 * 60_000);
    const me = await person.request(`${publicUrl}/v1/me`);
    expect(me.status).toBe(401);
    expect(await me.text()).toMatch(/without activity/);
  });
});

describe('just-in-time provisioning into the people directory', () => {
  it('creates the user and keeps email and groups in sync at every sign-in', async () => {
    await signedInAs('gina');
    expect((await admin('GET', '/v1/users/gina')).body).toMatchObject({
      email: 'gina@example.com',
      groups: ['finance', 'ops'],
      active: true,
    });
    (idp.people.get('gina') as { groups: string[] }).groups = ['finance'];
    const { session } = await signedInAs('gina');
    expect(session?.groups).toEqual(['finance']);
    expect((await admin('GET', '/v1/users/gina')).body).toMatchObject({ groups: ['finance'] });
  });

  it('refuses a user name that belongs to another account', async () => {
    const created = await admin('POST', '/v1/users', {
      name: 'carol',
      email: 'carol@elsewhere.com',
    });
    expect(created.status).toBe(201);
    const { person, callback } = await untilCallback('carol');
    const answer = await person.request(callback.href);
    expect(answer.status).toBe(409);
    expect(await answer.text()).toMatch(/already belongs to another account/);
    expect((await admin('GET', '/v1/users/carol')).body).toMatchObject({
      email: 'carol@elsewhere.com',
    });
  });

  it('a disabled user loses a live session at once: the open stream ends, requests fail, sign-in is refused', async () => {
    const { person } = await signedInAs('dave');
    const stream = await person.request(`${publicUrl}/v1/events`, {
      headers: { accept: 'text/event-stream' },
    });
    expect(stream.status).toBe(200);
    const reader = (stream.body as ReadableStream<Uint8Array>).getReader();
    expect((await admin('POST', '/v1/users/dave/disable')).status).toBe(200);
    for (;;) {
      const { done } = await reader.read();
      if (done) break;
    }
    const me = await person.request(`${publicUrl}/v1/me`);
    expect(me.status).toBe(401);
    expect(await me.text()).toMatch(/dave is disabled/);
    const again = await untilCallback('dave');
    const refusedAnswer = await again.person.request(again.callback.href);
    expect(refusedAnswer.status).toBe(403);
    expect(await refusedAnswer.text()).toMatch(/dave is disabled/);
  });
});
