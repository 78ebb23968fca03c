import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../cli/run-cli.js';
import { resolveServerConfig } from '../../config/resolve-server-config.js';
import { startServer } from '../../server.js';

let directory: string;
beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), 'countersign-oidc-config-'));
});
afterAll(async () => {
  await rm(directory, { recursive: true, force: true });
});

const problem = (flags: Record<string, string>) => {
  try {
    resolveServerConfig({ flags });
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
};

describe('OpenID Connect configuration', () => {
  it('reads the options from flags, with the issuer needing a client id and the public URL', () => {
    const { config } = resolveServerConfig({
      flags: {
        'oidc-issuer': 'https://idp.example.com/realms/acme/',
        'oidc-client-id': 'countersign',
        'oidc-client-secret': 's3cret',
        'oidc-allowed-domains': 'example.com, example.org',
        'oidc-admin-group': 'countersign-admins',
        'public-url': 'https://countersign.example.com/',
        'reviewer-auth': 'oidc',
        'session-idle-timeout': '15m',
      },
    });
    expect(config).toMatchObject({
      publicUrl: 'https://countersign.example.com/',
      reviewerAuth: 'oidc',
      oidc: {
        // Kept exactly: the issuer identifier must match the provider's, trailing slash and all.
        issuer: 'https://idp.example.com/realms/acme/',
        allowedEmailDomains: ['example.com', 'example.org'],
        groupsClaim: 'groups',
      },
      sessions: { idleTimeoutMs: 15 * 60_000 },
    });
    expect(problem({ 'oidc-issuer': 'https://idp.example.com', 'oidc-client-id': 'c' })).toMatch(
      /--oidc-issuer needs --public-url/,
    );
    expect(problem({ 'oidc-issuer': 'https://idp.example.com' })).toMatch(
      /--oidc-issuer needs --oidc-client-id/,
    );
    expect(problem({ 'reviewer-auth': 'oidc' })).toMatch(
      /--reviewer-auth oidc needs --oidc-issuer/,
    );
    expect(problem({ 'reviewer-auth': 'password' })).toMatch(/must be "key" or "oidc" or "both"/);
    expect(
      problem({
        'oidc-issuer': 'https://idp.example.com',
        'oidc-client-id': 'c',
        'public-url': 'http://countersign.example.com',
      }),
    ).toMatch(/--public-url must be https:\/\/ for OpenID Connect sign-in/);
  });

  it('fails the start with one line naming the option when the issuer cannot be discovered', async () => {
    const start = startServer({
      port: 0,
      dbPath: join(directory, 'unreachable.db'),
      publicUrl: 'http://127.0.0.1:8787',
      oidc: { issuer: 'http://127.0.0.1:9/nothing-here', clientId: 'countersign' },
    });
    await expect(start).rejects.toThrow(
      /^--oidc-issuer http:\/\/127\.0\.0\.1:9\/nothing-here: the OpenID provider cannot be discovered \([^\n]+\)$/,
    );
  });

  it('says so in one line when countersign serve cannot discover the issuer', async () => {
    const err: string[] = [];
    const code = await runCli(
      [
        'serve',
        '--port',
        '0',
        '--db',
        join(directory, 'serve.db'),
        '--public-url',
        'http://127.0.0.1:8787',
        '--oidc-issuer',
        'http://127.0.0.1:9',
        '--oidc-client-id',
        'countersign',
      ],
      { out: () => undefined, write: () => undefined, err: (text) => err.push(text), env: {} },
    );
    expect(code).toBe(1);
    expect(err).toHaveLength(1);
    expect(err[0]).toMatch(
      /^countersign serve: --oidc-issuer http:\/\/127\.0\.0\.1:9: the OpenID provider cannot be discovered/,
    );
  });
});
