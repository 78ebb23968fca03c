import { parseArgs } from 'node:util';
import * as client from 'openid-client';
import { isLoopbackHttp } from '../auth/oidc/identity-provider.js';
import type { AuthSession, CliToken } from '../http/auth-schemas.js';
import { CliError, type CliIo } from './cli-support.js';
import { findLogin, forgetLogin, saveLogin } from './login-credentials.js';

async function fetchJson<T>(url: string, init?: RequestInit): Promise<{ status: number; body: T }> {
  let response: Response;
  try {
    response = await fetch(url, init);
  } catch (error) {
    throw new CliError(`Cannot reach ${url}: ${error instanceof Error ? error.message : error}`);
  }
  const text = await response.text();
  let body: unknown;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    throw new CliError(`${url} answered ${response.status} with something that is not JSON`);
  }
  if (!response.ok) {
    const message = (body as { error?: { message?: string } } | undefined)?.error?.message;
    throw new CliError(`${url} answered ${response.status}: ${message ?? text}`);
  }
  return { status: response.status, body: body as T };
}

/**
 * `countersign login --url URL`: signs in with the server's OpenID provider through the device
 * authorization grant (the code and the address to enter it at are printed; the command polls),
 * then trades the ID token for a short-lived Countersign token, kept with mode 0600.
 */
export async function loginCommand(args: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({ args, options: { url: { type: 'string' } }, strict: true });
  const url = (values.url ?? io.env.COUNTERSIGN_URL)?.replace(/\/+$/, '');
  if (!url) throw new CliError('login needs --url URL (or COUNTERSIGN_URL)');
  const { body: methods } = await fetchJson<AuthSession>(`${url}/auth/session`);
  const oidc = methods.methods.oidc;
  if (!oidc) {
    throw new CliError(`${url} has no OpenID Connect sign-in; use an API key (--key)`);
  }
  if (!oidc.deviceAuthorization) {
    throw new CliError(
      `The identity provider of ${url} does not offer the device authorization grant; use an API key (--key)`,
    );
  }
  let configuration: client.Configuration;
  try {
    configuration = await client.discovery(
      new URL(oidc.issuer),
      oidc.cliClientId,
      undefined,
      client.None(),
      isLoopbackHttp(oidc.issuer) ? { execute: [client.allowInsecureRequests] } : {},
    );
  } catch (error) {
    throw new CliError(
      `Cannot reach the identity provider ${oidc.issuer}: ${error instanceof Error ? error.message : error}`,
    );
  }
  const device = await client.initiateDeviceAuthorization(configuration, { scope: oidc.scopes });
  io.out(`To sign in to ${url}, open ${device.verification_uri} and enter the code:`);
  io.out(`  ${device.user_code}`);
  if (device.verification_uri_complete) io.out(`(or open ${device.verification_uri_complete})`);
  io.out('Waiting for you to confirm…');
  let idToken: string | undefined;
  try {
    const tokens = await client.pollDeviceAuthorizationGrant(
      configuration,
      device,
      undefined,
      io.signal ? { signal: io.signal } : {},
    );
    idToken = tokens.id_token;
  } catch (error) {
    throw new CliError(
      `The sign-in did not complete: ${error instanceof Error ? error.message : error}`,
    );
  }
  if (!idToken)
    throw new CliError('The identity provider sent no ID token (ask for the openid scope)');
  const { body } = await fetchJson<CliToken>(`${url}/auth/cli/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ idToken }),
  });
  await saveLogin(io.env, {
    url,
    token: body.token,
    principal: body.principal,
    expiresAt: body.expiresAt,
  });
  io.out(`Signed in to ${url} as ${body.principal} (${body.role}) until ${body.expiresAt}`);
  return 0;
}

/** `countersign logout [--url URL]`: ends the session on the server and forgets the token. */
export async function logoutCommand(args: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({ args, options: { url: { type: 'string' } }, strict: true });
  const login = await findLogin(io.env, values.url ?? io.env.COUNTERSIGN_URL);
  if (!login) throw new CliError('Not signed in (countersign login --url URL signs in)');
  try {
    await fetch(`${login.url}/auth/logout`, {
      method: 'POST',
      headers: { authorization: `Bearer ${login.token}` },
    });
  } catch {
    // An unreachable server cannot end the session; the token is forgotten here all the same.
  }
  await forgetLogin(io.env, login.url);
  io.out(`Signed out of ${login.url}`);
  return 0;
}
