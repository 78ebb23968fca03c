import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider, { type Configuration } from 'oidc-provider';

/** A person at the test provider; any password signs them in (oidc-provider's dev login form). */
export interface TestPerson {
  /** The login typed into the provider's form; also the subject. */
  login: string;
  email: string;
  groups: string[];
  emailVerified?: boolean;
}

/** A real OpenID provider (`oidc-provider`) on a loopback port, with test people and two clients. */
export interface TestOidcProvider {
  /** `http://127.0.0.1:PORT` */
  issuer: string;
  /** The dashboard's confidential client. */
  web: { clientId: string; clientSecret: string };
  /** The CLI's public client (device authorization grant). */
  cliClientId: string;
  /** The people who can sign in; edit to change their claims at the next sign-in. */
  people: Map<string, TestPerson>;
  provider: Provider;
  close(): Promise<void>;
}

/** A free loopback port (for a server whose URL must be known before it starts). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Starts the provider; `redirectUri` is the Countersign callback registered for the web client. */
export async function startOidcProvider(options: {
  redirectUri: string;
  people: TestPerson[];
  /** Lifetime of ID tokens in seconds (default 3600). */
  idTokenTtlSeconds?: number;
  /**
   * Alters every token endpoint answer on its way to the client, as an attacker between them
   * would (the provider itself then sits behind a forwarding proxy at the issuer address).
   */
  rewriteTokenAnswer?: (answer: Record<string, unknown>) => Record<string, unknown>;
}): Promise<TestOidcProvider> {
  const port = await freePort();
  const issuer = `http://127.0.0.1:${port}`;
  const people = new Map(options.people.map((person) => [person.login, person]));
  const web = { clientId: 'countersign-web', clientSecret: 'web-secret-for-tests-only' };
  const cliClientId = 'countersign-cli';
  const configuration: Configuration = {
    clients: [
      {
        client_id: web.clientId,
        client_secret: web.clientSecret,
        redirect_uris: [options.redirectUri],
        grant_types: ['authorization_code'],
        response_types: ['code'],
        token_endpoint_auth_method: 'client_secret_post',
      },
      {
        client_id: cliClientId,
        token_endpoint_auth_method: 'none',
        grant_types: ['urn:ietf:params:oauth:grant-type:device_code'],
        response_types: [],
        redirect_uris: [],
      },
    ],
    claims: {
      openid: ['sub'],
      email: ['email', 'email_verified'],
      profile: ['preferred_username'],
      groups: ['groups'],
    },
    scopes: ['openid', 'email', 'profile', 'groups'],
    // Groups and email go in the ID token itself, as Keycloak, Okta and Entra can be set to do.
    conformIdTokenClaims: false,
    features: { devInteractions: { enabled: true }, deviceFlow: { enabled: true } },
    pkce: { required: () => true },
    cookies: { keys: ['countersign-test-cookie-key'] },
    ttl: { IdToken: options.idTokenTtlSeconds ?? 3600 },
    async findAccount(_context, id) {
      const person = people.get(id);
      if (!person) return undefined;
      return {
        accountId: id,
        async claims() {
          return {
            sub: id,
            email: person.email,
            email_verified: person.emailVerified ?? true,
            preferred_username: person.login,
            groups: person.groups,
          };
        },
      };
    },
  };
  const provider = new Provider(issuer, configuration);
  // The dev login form is meant for development; it warns on every start.
  provider.on('server_error', () => undefined);
  if (options.rewriteTokenAnswer) provider.proxy = true;
  const inner: Server = createServer(provider.callback());
  const server = options.rewriteTokenAnswer
    ? createServer(forwardTo(inner, options.rewriteTokenAnswer))
    : inner;
  if (server !== inner) await new Promise<void>((resolve) => inner.listen(0, '127.0.0.1', resolve));
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    issuer,
    web,
    cliClientId,
    people,
    provider,
    async close() {
      for (const listening of new Set([server, inner])) {
        await new Promise<void>((resolve) => {
          listening.close(() => resolve());
          listening.closeAllConnections();
        });
      }
    },
  };
}

/** A proxy to `inner` that passes everything through but rewrites the token endpoint's JSON. */
function forwardTo(
  inner: Server,
  rewrite: (answer: Record<string, unknown>) => Record<string, unknown>,
): RequestListener {
  return async (request, response) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const { port } = inner.address() as AddressInfo;
    const headers = new Headers();
    for (const [name, value] of Object.entries(request.headers)) {
      if (typeof value === 'string' && name !== 'content-length') headers.set(name, value);
    }
    // The provider builds its addresses from the host asked for: the proxy's, not its own.
    headers.set('x-forwarded-host', request.headers.host ?? '');
    const answer = await fetch(`http://127.0.0.1:${port}${request.url}`, {
      method: request.method as string,
      headers,
      ...(chunks.length > 0 ? { body: Buffer.concat(chunks) } : {}),
      redirect: 'manual',
    });
    let body = Buffer.from(await answer.arrayBuffer());
    if (request.url?.startsWith('/token') && answer.ok) {
      body = Buffer.from(JSON.stringify(rewrite(JSON.parse(body.toString()))));
    }
    const out: Record<string, string | string[]> = {};
    answer.headers.forEach((value, name) => {
      if (!['content-length', 'content-encoding', 'transfer-encoding'].includes(name)) {
        out[name] = value;
      }
    });
    const cookies = answer.headers.getSetCookie();
    if (cookies.length > 0) out['set-cookie'] = cookies;
    response.writeHead(answer.status, out);
    response.end(body);
  };
}
