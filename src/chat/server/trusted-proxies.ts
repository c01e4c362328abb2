import { BlockList, isIP } from 'node:net';

/** Named address sets, as Express's `trust proxy` has them. */
const NAMED_SETS: Readonly<Record<string, readonly string[]>> = {
  loopback: ['127.0.0.0/8', '::1/128'],
  linklocal: ['169.254.0.0/16', 'fe80::/10'],
  uniquelocal: ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', 'fc00::/7'],
};

export interface TrustedProxies {
  /** Whether `address` (IPv4, IPv6 or IPv4-mapped IPv6) is one of the trusted proxies. */
  has(address: string): boolean;
}

/**
 * The reverse proxies whose forwarding headers are believed (`TRUST_PROXY`): addresses (`10.0.0.5`,
 * `::1`), CIDR ranges (`10.0.0.0/8`, `2001:db8::/32`) and the names `loopback`, `linklocal` and
 * `uniquelocal`. Throws `RangeError` naming the first entry that is none of these.
 */
export function createTrustedProxies(entries: readonly string[]): TrustedProxies {
  const list = new BlockList();
  for (const raw of entries) {
    const entry = raw.trim().toLowerCase();
    for (const range of NAMED_SETS[entry] ?? [entry]) addRange(list, range, raw);
  }
  return {
    has(address) {
      const plain = normalizeAddress(address);
      const family = isIP(plain);
      return family !== 0 && list.check(plain, family === 4 ? 'ipv4' : 'ipv6');
    },
  };
}

function addRange(list: BlockList, range: string, original: string): void {
  const [address = '', prefixText, extra] = range.split('/');
  const family = isIP(address);
  const bits = family === 4 ? 32 : 128;
  const prefix = prefixText === undefined ? bits : Number(prefixText);
  if (family === 0 || extra !== undefined || !/^\d*$/.test(prefixText ?? '') || !Number.isInteger(prefix) || prefix < 0 || prefix > bits) {
    throw new RangeError(
      `"${original}" is not an IP address, a CIDR range (such as 10.0.0.0/8) or one of loopback, linklocal, uniquelocal`,
    );
  }
  list.addSubnet(address, prefix, family === 4 ? 'ipv4' : 'ipv6');
}

/** `::ffff:10.0.0.5` -> `10.0.0.5`, `[::1]` -> `::1`; anything else as it is (trimmed, lower case). */
export function normalizeAddress(address: string): string {
  let plain = address.trim().toLowerCase();
  if (plain.startsWith('[') && plain.endsWith(']')) plain = plain.slice(1, -1);
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/.exec(plain);
  return mapped !== null ? mapped[1]! : plain;
}
