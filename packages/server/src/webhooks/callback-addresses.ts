import type { LookupAddress, LookupOptions } from 'node:dns';
import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';
import { CountersignError } from '@countersign/core/protocol';
import type { Agent } from 'undici';
import { undici } from './undici-client.js';

/** Resolves a host name to every address it has (IPv4 and IPv6), as `dns.lookup` with `all`. */
export type HostResolver = (hostname: string) => Promise<string[]>;

/** The system resolver (`dns.lookup`, all addresses, in the order the system gives). */
export const systemResolver: HostResolver = async (hostname) =>
  (await lookup(hostname, { all: true, verbatim: true })).map((entry) => entry.address);

// Link-local networks and the cloud metadata endpoints on them (169.254.169.254 on AWS, GCP and
// Azure; fd00:ec2::254 on AWS over IPv6). IPv4-mapped IPv6 spellings match the IPv4 rules.
const LINK_LOCAL = new BlockList();
LINK_LOCAL.addSubnet('169.254.0.0', 16, 'ipv4');
LINK_LOCAL.addSubnet('fe80::', 10, 'ipv6');
LINK_LOCAL.addAddress('fd00:ec2::254', 'ipv6');

/** Whether `address` (an IP literal) is link-local or a cloud metadata address. */
export function isLinkLocalAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 0) return false;
  return LINK_LOCAL.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

/**
 * The first link-local or metadata address a callback URL points at: its host when that is an IP
 * literal, else any address the name resolves to. A name that does not resolve has none (it cannot
 * be reached either; delivery checks again).
 */
export async function linkLocalTarget(
  url: string,
  resolve: HostResolver,
): Promise<{ host: string; address: string } | undefined> {
  let host: string;
  try {
    host = new URL(url).hostname.replace(/^\[(.*)\]$/, '$1');
  } catch {
    return undefined;
  }
  let addresses: string[];
  try {
    addresses = isIP(host) === 0 ? await resolve(host) : [host];
  } catch {
    return undefined;
  }
  const address = addresses.find(isLinkLocalAddress);
  return address === undefined ? undefined : { host, address };
}

/** The message for a callback refused for its address, naming the opt-in. */
export function linkLocalMessage(field: string, target: { host: string; address: string }): string {
  const resolved = target.host === target.address ? '' : ` (resolves to ${target.address})`;
  return (
    `${field} host "${target.host}"${resolved} is a link-local or cloud metadata address; ` +
    'the operator must opt in to such callbacks (allowLinkLocalCallbacks)'
  );
}

/**
 * Refuses a callback URL that points at a link-local or metadata address with a 400
 * `validation_failed` naming the field, before anything is stored.
 */
export async function assertCallbackAddressAllowed(
  resolve: HostResolver,
  url: string,
  field: string,
): Promise<void> {
  const target = await linkLocalTarget(url, resolve);
  if (!target) return;
  const message = linkLocalMessage(field, target);
  throw new CountersignError('validation_failed', {
    message,
    details: {
      field,
      host: target.host,
      address: target.address,
      issues: [{ path: field, message, code: 'callback_address_not_allowed' }],
    },
  });
}

type LookupCallback = (
  error: NodeJS.ErrnoException | null,
  address: string | LookupAddress[],
  family?: number,
) => void;

/**
 * A connection pool whose name lookups go through `resolve` and refuse link-local and metadata
 * addresses, so a callback connects only to an address that was checked (a name re-pointed after
 * the check, DNS rebinding, is refused at connect).
 */
export function linkLocalRefusingAgent(resolve: HostResolver): Agent {
  const guardedLookup = (hostname: string, options: LookupOptions, callback: LookupCallback) => {
    resolve(hostname).then(
      (addresses) => {
        const refused = addresses.find(isLinkLocalAddress);
        if (refused !== undefined || addresses.length === 0) {
          const error: NodeJS.ErrnoException = new Error(
            refused === undefined
              ? `${hostname} has no address`
              : `${hostname} resolves to the link-local or metadata address ${refused}`,
          );
          error.code = 'ECALLBACKADDRESS';
          callback(error, '');
          return;
        }
        const entries = addresses.map((address) => ({ address, family: isIP(address) }));
        if (options.all) callback(null, entries);
        else callback(null, entries[0]?.address ?? '', entries[0]?.family);
      },
      (error: NodeJS.ErrnoException) => callback(error, ''),
    );
  };
  return new (undici().Agent)({ connect: { lookup: guardedLookup } });
}
