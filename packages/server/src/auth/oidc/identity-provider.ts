import * as client from 'openid-client';
import { ServerConfigError } from '../../config/server-config-error.js';

/** What the server needs to know about its OpenID provider (`oidc.*` in the server options). */
export interface OidcOptions {
  /** The issuer URL; OpenID Connect sign-in is on when it is set. */
  issuer?: string;
  /** The dashboard's client id at the provider. */
  clientId?: string;
  /** The dashboard client's secret (absent for a public client). */
  clientSecret?: string;
  /** The public client `countersign login` uses (default: `clientId`). */
  cliClientId?: string;
  /** The name on the "Sign in with" button (default: the issuer's host). */
  providerName?: string;
  /** The claim path holding the groups (default `groups`). */
  groupsClaim?: string;
  /** The claim path `user:NAME` comes from (default: the local part of `email`). */
  usernameClaim?: string;
  /** Email domains that may sign in (default: any). */
  allowedEmailDomains?: string[];
  /** Groups of which a user must be in one to sign in (default: any). */
  allowedGroups?: string[];
  /** The provider group whose members are admins. */
  adminGroup?: string;
  /** Scopes asked for (default `openid email profile`). */
  scopes?: string;
}

/** A discovered provider, ready for sign-ins. */
export interface IdentityProvider {
  readonly configuration: client.Configuration;
  readonly issuer: string;
  readonly clientId: string;
  readonly cliClientId: string;
  readonly name: string;
  readonly scopes: string;
  readonly options: OidcOptions;
  /** The provider's JWKS address, for checking ID tokens that reach us from the CLI. */
  readonly jwksUri: string;
  /** Whether the provider offers the device authorization grant (for `countersign login`). */
  readonly deviceAuthorization: boolean;
  /** True when the issuer is plain HTTP on a loopback address (tests, local providers). */
  readonly insecure: boolean;
}

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

/** Whether `url` is plain HTTP on a loopback address, where TLS is not required. */
export function isLoopbackHttp(url: string): boolean {
  const parsed = new URL(url);
  return parsed.protocol === 'http:' && LOOPBACK.has(parsed.hostname);
}

/**
 * Discovers the provider (its `/.well-known/openid-configuration`); an unreachable or wrong
 * issuer is a {@link ServerConfigError} naming `oidc.issuer`, so the server does not start.
 */
export async function discoverIdentityProvider(
  options: OidcOptions & { issuer: string; clientId: string },
  timeoutMs = 10_000,
): Promise<IdentityProvider> {
  const insecure = isLoopbackHttp(options.issuer);
  let configuration: client.Configuration;
  try {
    configuration = await client.discovery(
      new URL(options.issuer),
      options.clientId,
      options.clientSecret,
      options.clientSecret ? client.ClientSecretPost(options.clientSecret) : client.None(),
      {
        ...(insecure ? { execute: [client.allowInsecureRequests] } : {}),
        timeout: Math.ceil(timeoutMs / 1000),
      },
    );
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new ServerConfigError([
      {
        option: 'oidc.issuer',
        source: 'oidc.issuer',
        message: `--oidc-issuer ${options.issuer}: the OpenID provider cannot be discovered (${reason})`,
      },
    ]);
  }
  // The ID token's signature is checked too, not only its claims (a token altered on the way fails).
  client.enableNonRepudiationChecks(configuration);
  const metadata = configuration.serverMetadata();
  if (!metadata.jwks_uri) {
    throw new ServerConfigError([
      {
        option: 'oidc.issuer',
        source: 'oidc.issuer',
        message: `--oidc-issuer ${options.issuer}: the provider publishes no jwks_uri`,
      },
    ]);
  }
  return {
    configuration,
    issuer: metadata.issuer,
    clientId: options.clientId,
    cliClientId: options.cliClientId ?? options.clientId,
    name: options.providerName ?? new URL(metadata.issuer).host,
    scopes: options.scopes ?? 'openid email profile',
    options,
    jwksUri: metadata.jwks_uri,
    deviceAuthorization: typeof metadata.device_authorization_endpoint === 'string',
    insecure,
  };
}
