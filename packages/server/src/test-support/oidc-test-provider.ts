import { createServer, type Server } from 'node:http';
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
  const server: Server = createServer(provider.callback());
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    issuer,
    web,
    cliClientId,
    people,
    provider,
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
