import { describe, expect, it } from 'vitest';
import { cookieHeader, cookiePolicy, readCookie } from './session-cookies.js';

describe('session cookies', () => {
  it('are __Host- prefixed and Secure over HTTPS, plain on a loopback HTTP address', () => {
    const https = cookiePolicy('https://countersign.example.com');
    expect(https).toEqual({
      session: '__Host-countersign-session',
      signIn: '__Host-countersign-sign-in',
      secure: true,
    });
    expect(cookieHeader(https, https.session, 'css_x', 60)).toBe(
      '__Host-countersign-session=css_x; Path=/; HttpOnly; SameSite=Lax; Max-Age=60; Secure',
    );
    const loopback = cookiePolicy('http://127.0.0.1:8787');
    expect(loopback.secure).toBe(false);
    expect(cookieHeader(loopback, loopback.session, '', 0)).toBe(
      'countersign-session=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0',
    );
  });

  it('reads one cookie out of a Cookie header', () => {
    expect(readCookie('a=1; countersign-session=css_y ; b=2', 'countersign-session')).toBe('css_y');
    expect(readCookie('xcountersign-session=1', 'countersign-session')).toBeUndefined();
    expect(readCookie(undefined, 'countersign-session')).toBeUndefined();
  });
});
