import type { OidcOptions } from '../auth/oidc/identity-provider.js';
import {
  startTestServer,
  type TestServer,
  type TestServerOptions,
} from '../test/start-test-server.js';
import {
  freePort,
  startOidcProvider,
  type TestOidcProvider,
  type TestPerson,
} from './oidc-test-provider.js';

/** A test OpenID provider and a Countersign server signing in through it, on loopback. */
export interface OidcTestSetup {
  idp: TestOidcProvider;
  server: TestServer;
  /** The server's public URL (its own address), the base of the redirect URI. */
  publicUrl: string;
  close(): Promise<void>;
}

/**
 * Starts the provider with `people` and a server whose `oidc` options point at it (both clients,
 * the scopes that carry groups); `oidc` and `server` add to or override those options.
 */
export async function startOidcTestSetup(options: {
  people: TestPerson[];
  oidc?: Partial<OidcOptions>;
  server?: TestServerOptions;
  rewriteTokenAnswer?: (answer: Record<string, unknown>) => Record<string, unknown>;
}): Promise<OidcTestSetup> {
  const port = await freePort();
  const publicUrl = `http://127.0.0.1:${port}`;
  const idp = await startOidcProvider({
    redirectUri: `${publicUrl}/auth/oidc/callback`,
    people: options.people,
    ...(options.rewriteTokenAnswer ? { rewriteTokenAnswer: options.rewriteTokenAnswer } : {}),
  });
  const server = await startTestServer({
    ...options.server,
    port,
    publicUrl,
    oidc: {
      issuer: idp.issuer,
      clientId: idp.web.clientId,
      clientSecret: idp.web.clientSecret,
      cliClientId: idp.cliClientId,
      scopes: 'openid email profile groups',
      ...options.oidc,
    },
  });
  return {
    idp,
    server,
    publicUrl,
    async close() {
      await server.close();
      await idp.close();
    },
  };
}
