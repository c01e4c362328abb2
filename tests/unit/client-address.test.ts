import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { resolveClientAddress, type ClientAddressOptions } from '../../src/chat/server/client-address.js';
import { createTrustedProxies } from '../../src/chat/server/trusted-proxies.js';

/** The two parts of a request the resolver reads: the TCP peer and the headers. */
function request(remoteAddress: string, headers: Record<string, string | string[]> = {}): IncomingMessage {
  return { socket: { remoteAddress }, headers } as unknown as IncomingMessage;
}

const trusting = (entries: string[], header: ClientAddressOptions['header'] = 'x-forwarded-for'): ClientAddressOptions => ({
  trustedProxies: createTrustedProxies(entries),
  header,
});

describe('resolveClientAddress', () => {
  it('is the TCP peer, headers ignored, when no proxy is trusted or the peer is not one', () => {
    const spoofed = { 'x-forwarded-for': '198.51.100.7', forwarded: 'for=198.51.100.7' };
    expect(resolveClientAddress(request('203.0.113.5', spoofed), { trustedProxies: undefined, header: 'x-forwarded-for' })).toBe('203.0.113.5');
    expect(resolveClientAddress(request('203.0.113.5', spoofed), trusting(['10.0.0.0/8']))).toBe('203.0.113.5');
    expect(resolveClientAddress(request('::ffff:203.0.113.5', spoofed), trusting(['10.0.0.1']))).toBe('203.0.113.5');
  });

  it('takes the right-most hop that is not a trusted proxy, never a hop the client wrote to its left', () => {
    const options = trusting(['10.0.0.0/8', '192.168.1.1']);
    expect(resolveClientAddress(request('10.0.0.2', { 'x-forwarded-for': '1.1.1.1, 198.51.100.7' }), options)).toBe('198.51.100.7');
    expect(resolveClientAddress(request('10.0.0.2', { 'x-forwarded-for': '1.1.1.1, 198.51.100.7, 192.168.1.1, 10.3.3.3' }), options)).toBe('198.51.100.7');
    expect(resolveClientAddress(request('10.0.0.2', { 'x-forwarded-for': ['1.1.1.1', '198.51.100.7:5123'] }), options)).toBe('198.51.100.7');
    // Every hop trusted: the left-most; no header: the proxy itself.
    expect(resolveClientAddress(request('10.0.0.2', { 'x-forwarded-for': '10.1.1.1, 10.2.2.2' }), options)).toBe('10.1.1.1');
    expect(resolveClientAddress(request('10.0.0.2'), options)).toBe('10.0.0.2');
  });

  it('reads RFC 7239 Forwarded with quoted IPv6, ports and obfuscated identifiers', () => {
    const options = trusting(['loopback'], 'forwarded');
    const header = (value: string) => request('127.0.0.1', { forwarded: value, 'x-forwarded-for': '9.9.9.9' });
    expect(resolveClientAddress(header('for=192.0.2.43, for="[2001:db8:cafe::17]:4711";proto=https'), options)).toBe('2001:db8:cafe::17');
    expect(resolveClientAddress(header('for=192.0.2.60;proto=http;by=203.0.113.43'), options)).toBe('192.0.2.60');
    expect(resolveClientAddress(header('for="192.0.2.60:8080", for=127.0.0.1'), options)).toBe('192.0.2.60');
    expect(resolveClientAddress(header('for=_hidden'), options)).toBe('_hidden');
  });
});

describe('createTrustedProxies', () => {
  it('matches addresses, IPv4 and IPv6 ranges, IPv4-mapped peers and the named sets', () => {
    const proxies = createTrustedProxies(['10.0.0.0/8', '2001:db8::/32', '192.0.2.1', 'uniquelocal', 'loopback']);
    for (const address of ['10.200.1.1', '2001:db8::5', '192.0.2.1', '::ffff:10.0.0.9', '192.168.4.4', 'fd00::1', '127.0.0.1', '::1']) {
      expect(proxies.has(address), address).toBe(true);
    }
    for (const address of ['11.0.0.1', '2001:db9::1', '192.0.2.2', 'unknown', '']) expect(proxies.has(address), address).toBe(false);
  });

  it('refuses an entry that is neither an address, a range nor a named set', () => {
    for (const entry of ['10.0.0.0/33', 'proxy.example', '10.0.0.0/8/1', '::1/129', '10.0.0.0/x']) {
      expect(() => createTrustedProxies([entry]), entry).toThrow(`"${entry}" is not an IP address, a CIDR range`);
    }
  });
});
