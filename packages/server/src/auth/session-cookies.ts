import { isLoopbackHttp } from './oidc/identity-provider.js';

/** The cookie names and attributes for one public URL. */
export interface CookiePolicy {
  /** The session cookie (`__Host-countersign-session` over HTTPS). */
  session: string;
  /** The cookie binding a sign-in in progress to this browser. */
  signIn: string;
  /** `Secure` unless the public URL is plain HTTP on a loopback address. */
  secure: boolean;
}

/**
 * The cookies for `publicUrl`: `__Host-` names over HTTPS (host-only, path `/`, `Secure`), plain
 * names for a loopback HTTP address (no `Secure`, or the browser would drop them); no public URL
 * (OpenID Connect off) is treated as loopback, where no session cookie is ever set.
 */
export function cookiePolicy(publicUrl: string | undefined): CookiePolicy {
  const secure = publicUrl !== undefined && !isLoopbackHttp(publicUrl);
  const prefix = secure ? '__Host-' : '';
  return {
    session: `${prefix}countersign-session`,
    signIn: `${prefix}countersign-sign-in`,
    secure,
  };
}

/** The value of cookie `name` in a `Cookie` header. */
export function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const index = part.indexOf('=');
    if (index === -1) continue;
    if (part.slice(0, index).trim() === name) return part.slice(index + 1).trim();
  }
  return undefined;
}

/** A `Set-Cookie` value: HttpOnly, SameSite=Lax, path `/`; `maxAgeSeconds` 0 deletes it. */
export function cookieHeader(
  policy: CookiePolicy,
  name: string,
  value: string,
  maxAgeSeconds: number,
): string {
  const attributes = [
    `${name}=${value}`,
    'Path=/',
    'HttpOnly',
    'SameSite=Lax',
    `Max-Age=${Math.max(0, Math.floor(maxAgeSeconds))}`,
  ];
  if (policy.secure) attributes.push('Secure');
  return attributes.join('; ');
}
