import { afterAll, beforeAll, expect, it } from 'vitest';
import { type OidcTestSetup, startOidcTestSetup } from '../../test-support/oidc-test-server.js';
import { ProviderPerson } from '../../test-support/provider-person.js';

// Someone between Countersign and the provider alters the ID token of a real code flow (here: a
// proxy at the issuer address that adds the admin group): the signature check refuses it.

let setup: OidcTestSetup;

beforeAll(async () => {
  setup = await startOidcTestSetup({
    people: [{ login: 'alice', email: 'alice@example.com', groups: ['finance'] }],
    oidc: { adminGroup: 'admins' },
    rewriteTokenAnswer(answer) {
      const [header, payload, signature] = String(answer.id_token).split('.');
      const claims = JSON.parse(Buffer.from(payload as string, 'base64url').toString());
      const forged = Buffer.from(JSON.stringify({ ...claims, groups: ['admins'] }));
      return { ...answer, id_token: `${header}.${forged.toString('base64url')}.${signature}` };
    },
  });
});
afterAll(async () => {
  await setup?.close();
});

it('refuses a tampered ID token from the code flow with a clear page, and stores nothing', async () => {
  const person = new ProviderPerson('alice');
  const { url } = await person.browse(`${setup.publicUrl}/auth/oidc/login`, {
    stopAt: (address) => address.pathname === '/auth/oidc/callback',
  });
  const answer = await person.request(url);
  const page = await answer.text();
  expect(answer.status, page).toBe(401);
  expect(page).toMatch(/could not be verified/);
  expect(person.cookieFor(setup.publicUrl)).not.toMatch(/countersign-session/);
  const user = await fetch(`${setup.server.url}/v1/users/alice`, {
    headers: { authorization: `Bearer ${setup.server.adminKey}` },
  });
  expect(user.status).toBe(404);
});
