import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as client from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestServer } from '../test/start-test-server.js';
import { lineMatching } from '../test-support/line-matching.js';
import { startOidcProvider, type TestOidcProvider } from '../test-support/oidc-test-provider.js';
import { type OidcTestSetup, startOidcTestSetup } from '../test-support/oidc-test-server.js';
import { ProviderPerson } from '../test-support/provider-person.js';
import type { CliIo } from './cli-support.js';
import { credentialsPath, forgetLogin, saveLogin } from './login-credentials.js';
import { runCli } from './run-cli.js';

// `countersign login` against a real OpenID provider (oidc-provider, device authorization grant)
// and a real server; the person confirms the code by filling the provider's pages.

let idp: TestOidcProvider;
let otherIdp: TestOidcProvider;
let server: TestServer;
let publicUrl: string;
let configHome: string;
const PEOPLE = [
  { login: 'alice', email: 'alice@example.com', groups: ['finance'] },
  { login: 'eve', email: 'eve@example.com', groups: ['finance'] },
];

let setup: OidcTestSetup;

beforeAll(async () => {
  setup = await startOidcTestSetup({ people: PEOPLE, server: { manualClock: true } });
  ({ idp, server, publicUrl } = setup);
  otherIdp = await startOidcProvider({
    redirectUri: `${publicUrl}/auth/oidc/callback`,
    people: PEOPLE,
  });
  configHome = await mkdtemp(join(tmpdir(), 'countersign-config-'));
});
afterAll(async () => {
  await setup?.close();
  await otherIdp?.close();
  await rm(configHome, { recursive: true, force: true });
});

function cli(env: Record<string, string> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = {
    out: (text) => out.push(text),
    write: (text) => out.push(text),
    err: (text) => err.push(text),
    env: { XDG_CONFIG_HOME: configHome, ...env },
  };
  return { io, out, err, run: (argv: string[]) => runCli(argv, io) };
}

/** An ID token for the CLI client from `provider`, through the device grant (as the CLI does). */
async function deviceIdToken(provider: TestOidcProvider, login: string): Promise<string> {
  const configuration = await client.discovery(
    new URL(provider.issuer),
    provider.cliClientId,
    undefined,
    client.None(),
    { execute: [client.allowInsecureRequests] },
  );
  const device = await client.initiateDeviceAuthorization(configuration, {
    scope: 'openid email profile groups',
  });
  await new ProviderPerson(login).browse(device.verification_uri_complete as string);
  const tokens = await client.pollDeviceAuthorizationGrant(configuration, device);
  return tokens.id_token as string;
}

async function exchange(idToken: string) {
  const response = await fetch(`${publicUrl}/auth/cli/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ idToken }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

async function userExists(name: string): Promise<boolean> {
  const response = await fetch(`${server.url}/v1/users/${name}`, {
    headers: { authorization: `Bearer ${server.adminKey}` },
  });
  return response.status === 200;
}

describe('countersign login', () => {
  it('signs in with the device code, keeps the token 0600, decides with it, and logs out', async () => {
    const agent = await server.createKey({ role: 'agent', name: 'bot' });
    const created = await fetch(`${server.url}/v1/requests`, {
      method: 'POST',
      headers: { authorization: `Bearer ${agent}`, 'content-type': 'application/json' },
      body: JSON.stringify({ action: 'Pay invoice 7', assignees: ['group:finance'] }),
    });
    const { id } = (await created.json()) as { id: string };

    const session = cli();
    const login = session.run(['login', '--url', publicUrl]);
    const [, address] = await lineMatching(session.out, /^\(or open (\S+)\)$/);
    await lineMatching(session.out, /^ {2}[A-Z-]+$/);
    await new ProviderPerson('alice').browse(address as string);
    expect(await login, session.err.join('\n')).toBe(0);
    expect(session.out.at(-1)).toMatch(/^Signed in to .* as user:alice \(reviewer\) until /);

    const path = credentialsPath({ XDG_CONFIG_HOME: configHome });
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    const stored = JSON.parse(await readFile(path, 'utf8'));
    expect(stored.logins[publicUrl]).toMatchObject({ principal: 'user:alice' });
    expect(stored.logins[publicUrl].token).toMatch(/^css_/);

    const reviewer = cli();
    expect(await reviewer.run(['ls', '--status', 'pending'])).toBe(0);
    expect(reviewer.out.join('\n')).toContain(id);
    expect(await reviewer.run(['approve', id])).toBe(0);
    expect(reviewer.out.join('\n')).toMatch(/decisions\s+user:alice approve/);

    const out = cli();
    expect(await out.run(['logout'])).toBe(0);
    const after = await fetch(`${publicUrl}/v1/me`, {
      headers: { authorization: `Bearer ${stored.logins[publicUrl].token}` },
    });
    expect(after.status).toBe(401);
    const none = cli();
    expect(await none.run(['ls'])).toBe(1);
    expect(none.err.join('\n')).toMatch(/countersign login --url URL/);
  });

  it('says when the stored login has expired', async () => {
    const env = { XDG_CONFIG_HOME: configHome };
    await saveLogin(env, {
      url: 'http://127.0.0.1:9',
      token: 'css_expired',
      principal: 'user:alice',
      expiresAt: '2020-01-01T00:00:00.000Z',
    });
    const expired = cli();
    expect(await expired.run(['ls', '--url', 'http://127.0.0.1:9'])).toBe(1);
    expect(expired.err.join('\n')).toMatch(
      /Your login to http:\/\/127\.0\.0\.1:9 has expired; run countersign login --url http:\/\/127\.0\.0\.1:9 again/,
    );
    await forgetLogin(env, 'http://127.0.0.1:9');
  });

  it('refuses tampered, foreign and expired ID tokens and changes nothing', async () => {
    const [token, foreign] = await Promise.all([
      deviceIdToken(idp, 'eve'),
      deviceIdToken(otherIdp, 'eve'),
    ]);
    const [header, payload, signature] = token.split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
    const forged = Buffer.from(JSON.stringify({ ...claims, groups: ['admins'] })).toString(
      'base64url',
    );
    const tampered = await exchange(`${header}.${forged}.${signature}`);
    expect(tampered.status).toBe(401);
    expect(JSON.stringify(tampered.body)).toMatch(
      /ID token was refused: its signature does not verify/,
    );
    const other = await exchange(foreign);
    expect(other.status).toBe(401);
    expect(JSON.stringify(other.body)).toMatch(/ID token was refused/);
    expect(await userExists('eve')).toBe(false);

    await server.clock.advance(2 * 3_600_000);
    const expired = await exchange(token);
    expect(expired.status).toBe(401);
    expect(JSON.stringify(expired.body)).toMatch(/ID token was refused: it has expired/);
    expect(await userExists('eve')).toBe(false);
  });
});
