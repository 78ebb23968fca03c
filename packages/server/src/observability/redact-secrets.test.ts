import { describe, expect, it } from 'vitest';
import { redactSecrets } from './redact-secrets.js';

describe('redactSecrets', () => {
  it('censors secret fields at the top and one object down, and headers at either', () => {
    const fields = {
      token: 'css_abc',
      route: '/v1/requests',
      config: { databaseUrl: 'postgres://user:pw@host/db', port: 5432, deeper: { key: 'kept' } },
      headers: { authorization: 'Bearer csk_x', cookie: 'session=1', accept: 'text/html' },
      request: { headers: { cookie: 'session=2', host: 'h' }, password: 'pw' },
    };
    expect(redactSecrets(fields)).toEqual({
      token: '[redacted]',
      route: '/v1/requests',
      config: { databaseUrl: '[redacted]', port: 5432, deeper: { key: 'kept' } },
      headers: { authorization: '[redacted]', cookie: '[redacted]', accept: 'text/html' },
      request: { headers: { cookie: '[redacted]', host: 'h' }, password: '[redacted]' },
    });
  });

  it('leaves the caller’s objects as they were', () => {
    const nested = { apiKey: 'csk_y' };
    const fields = { user: nested, secret: 's' };
    redactSecrets(fields);
    expect(fields).toEqual({ user: { apiKey: 'csk_y' }, secret: 's' });
    expect(nested.apiKey).toBe('csk_y');
  });

  it('returns a line without secrets as it is', () => {
    const fields = { requestId: 'r1', status: 201, principal: 'agent:bot', extra: { a: 1 } };
    expect(redactSecrets(fields)).toBe(fields);
  });
});
