import type { IncomingMessage } from 'node:http';
import { isIP } from 'node:net';
import { normalizeAddress, type TrustedProxies } from './trusted-proxies.js';

export interface ClientAddressOptions {
  /** The proxies whose headers are believed; undefined: no proxy is trusted and headers are ignored. */
  readonly trustedProxies: TrustedProxies | undefined;
  /** Which header the trusted proxies write: `x-forwarded-for` (default) or RFC 7239 `forwarded`. */
  readonly header: 'x-forwarded-for' | 'forwarded';
}

/** Longest client key kept from a header: an obfuscated `Forwarded` identifier is not an address. */
const MAX_KEY_CHARS = 64;

/**
 * The client address a request's limits are keyed on. It is the TCP peer, unless the peer is a trusted
 * proxy: then the hops its header lists are walked from the right (the hop the trusted proxy itself
 * appended) past every trusted proxy, and the first untrusted hop is the client, as Express's
 * `trust proxy` does. Everything left of it may be forged by the client and is never read. When every
 * hop is trusted the left-most is used. A hop that is not an IP address (`unknown`, `_hidden`) is used
 * as it is, cut to 64 characters: all such clients share its limits.
 */
export function resolveClientAddress(req: IncomingMessage, options: ClientAddressOptions): string {
  const peer = normalizeAddress(req.socket.remoteAddress ?? 'unknown');
  const trusted = options.trustedProxies;
  if (trusted === undefined || !trusted.has(peer)) return peer;
  const hops = options.header === 'forwarded' ? forwardedHops(req.headers.forwarded) : xForwardedForHops(req.headers['x-forwarded-for']);
  let client = peer;
  for (let i = hops.length - 1; i >= 0; i -= 1) {
    client = hops[i]!;
    if (!trusted.has(client)) break;
  }
  return isIP(client) === 0 ? client.slice(0, MAX_KEY_CHARS) : client;
}

function xForwardedForHops(header: string | string[] | undefined): string[] {
  const joined = Array.isArray(header) ? header.join(',') : (header ?? '');
  return joined
    .split(',')
    .map((hop) => stripPort(hop.trim()))
    .filter((hop) => hop !== '');
}

/** The `for=` of each element of an RFC 7239 `Forwarded` header: `for=192.0.2.60;proto=https, for="[2001:db8::1]:4711"`. */
function forwardedHops(header: string | string[] | undefined): string[] {
  const joined = Array.isArray(header) ? header.join(',') : (header ?? '');
  const hops: string[] = [];
  for (const element of joined.split(',')) {
    for (const pair of element.split(';')) {
      const [name, ...rest] = pair.split('=');
      if (name?.trim().toLowerCase() !== 'for') continue;
      const value = rest.join('=').trim().replace(/^"(.*)"$/, '$1');
      if (value !== '') hops.push(stripPort(value));
    }
  }
  return hops;
}

/** `192.0.2.1:8080` -> `192.0.2.1`, `[2001:db8::1]:4711` -> `2001:db8::1`; a bare IPv6 address as it is. */
function stripPort(hop: string): string {
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(hop);
  if (bracketed !== null) return normalizeAddress(bracketed[1]!);
  const v4 = /^(\d{1,3}(?:\.\d{1,3}){3}):\d+$/.exec(hop);
  if (v4 !== null) return v4[1]!;
  return normalizeAddress(hop);
}
