import { CountersignError } from '@countersign/core/protocol';
import { describe, expect, it } from 'vitest';
import { safeReturnTo } from './sign-in-flow.js';
import { claimAt, identityFromClaims } from './sign-in-identity.js';

const refusal = (run: () => unknown): string => {
  try {
    run();
  } catch (error) {
    expect(CountersignError.isInstance(error)).toBe(true);
    return (error as Error).message;
  }
  throw new Error('accepted');
};

describe('identityFromClaims', () => {
  it('names the user by the email local part and reads groups from a dotted claim path', () => {
    expect(
      identityFromClaims(
        { groupsClaim: 'realm_access.roles', adminGroup: 'ops' },
        {
          email: 'Alice.Martin@Example.com',
          realm_access: { roles: ['/finance', 'ops', 'no spaces!'] },
        },
      ),
    ).toEqual({
      name: 'alice.martin',
      email: 'Alice.Martin@Example.com',
      groups: ['finance', 'ops'],
      role: 'admin',
    });
    expect(claimAt({ 'https://x/groups': ['a'] }, 'https://x/groups')).toEqual(['a']);
  });

  it('takes the name from another claim when told, and refuses one that is not a name', () => {
    const options = { usernameClaim: 'preferred_username' };
    expect(
      identityFromClaims(options, { email: 'a@example.com', preferred_username: 'amartin' }).name,
    ).toBe('amartin');
    expect(
      refusal(() =>
        identityFromClaims(options, { email: 'a@example.com', preferred_username: 'A Martin' }),
      ),
    ).toMatch(/preferred_username claim gives no usable user name/);
  });

  it('refuses a missing or unverified email, other domains and other groups', () => {
    expect(refusal(() => identityFromClaims({}, { sub: 'x' }))).toMatch(/no email address/);
    expect(
      refusal(() => identityFromClaims({}, { email: 'a@example.com', email_verified: false })),
    ).toMatch(/has not verified the email address a@example.com/);
    expect(
      refusal(() =>
        identityFromClaims({ allowedEmailDomains: ['Example.com'] }, { email: 'a@evil.com' }),
      ),
    ).toMatch(/Accounts of evil.com may not sign in here \(allowed: example.com\)/);
    expect(
      refusal(() =>
        identityFromClaims(
          { allowedGroups: ['finance'] },
          { email: 'a@example.com', groups: 'hr' },
        ),
      ),
    ).toMatch(/Only members of finance may sign in here/);
  });
});

describe('safeReturnTo', () => {
  it('keeps dashboard paths and sends everything else to /', () => {
    expect(safeReturnTo('/#/requests/req_1')).toBe('/#/requests/req_1');
    for (const outside of ['//evil.example', '/\\evil.example', 'https://evil.example', 'x', '']) {
      expect(safeReturnTo(outside)).toBe('/');
    }
    expect(safeReturnTo(undefined)).toBe('/');
  });
});
