import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../test/start-test-server.js';
import {
  freePort,
  startOidcProvider,
  type TestOidcProvider,
} from '../../test-support/oidc-test-provider.js';
import { ProviderPerson } from '../../test-support/provider-person.js';

// Someone between Countersign and the provider alters the ID token of a real code flow (here: a
// proxy at the issuer address that adds the admin group): the signature check refuses it.

let idp: TestOidcProvider;
let server: TestServer;
let publicUrl: string;

beforeAll(async () => {
  const port = await freePort();
  publicUrl = `http://127.0.0.1:${port}`;
  idp = await startOidcProvider({
    redirectUri: `${publicUrl}/auth/oidc/callback`,
    people: [{ login: 'alice', email: 'alice@example.com', groups: ['finance'] }],
    rewriteTokenAnswer(answer) {
      const [header, payload, signature] = String(answer.id_token).split('.');
      const claims = JSON.parse(Buffer.from(payload as string, 'base64url').toString());
      const forged = Buffer.from(JSON.stringify({ ...claims, groups: ['admins'] }));
      return { ...answer, id_token: `${header}.${forged.toString('base64url')}.${signature}` };
    },
  });
  server = await startTestServer({
    port,
    publicUrl,
    oidc: {
      issuer: idp.issuer,
      clientId: idp.web.clientId,
      clientSecret: idp.web.clientSecret,
      scopes: 'openid email profile groups',
      adminGroup: 'admins',
    },
  });
});
afterAll(async () => {
  await server?.close();
  await idp?.close();
});

it('refuses a tampered ID token from the code flow with a clear page, and stores nothing', async () => {
  const person = new ProviderPerson('alice');
  const { url } = await person.browse(`${publicUrl}/auth/oidc/login`, {
    stopAt: (address) => address.pathname === '/auth/oidc/callback',
  });
  const answer = await person.request(url);
  const page = await answer.text();
  expect(answer.status, page).toBe(401);
  expect(page).toMatch(/could not be verified/);
  expect(person.cookieFor(publicUrl)).not.toMatch(/countersign-session/);
  const user = await fetch(`${server.url}/v1/users/alice`, {
    headers: { authorization: `Bearer ${server.adminKey}` },
  });
  expect(user.status).toBe(404);
});
