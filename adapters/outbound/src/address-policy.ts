import { BlockList, isIP } from 'node:net'

/** Why an address is refused, in words for the error message. */
export type AddressRefusal =
  | 'loopback'
  | 'private'
  | 'link-local or metadata'
  | 'shared (CGNAT)'
  | 'multicast'
  | 'reserved'

const RANGES: readonly (readonly [string, number, 'ipv4' | 'ipv6', AddressRefusal])[] = [
  ['127.0.0.0', 8, 'ipv4', 'loopback'],
  ['::1', 128, 'ipv6', 'loopback'],
  ['10.0.0.0', 8, 'ipv4', 'private'],
  ['172.16.0.0', 12, 'ipv4', 'private'],
  ['192.168.0.0', 16, 'ipv4', 'private'],
  ['fc00::', 7, 'ipv6', 'private'], // unique-local, includes AWS's fd00:ec2::254 metadata address
  ['169.254.0.0', 16, 'ipv4', 'link-local or metadata'], // includes 169.254.169.254
  ['fe80::', 10, 'ipv6', 'link-local or metadata'],
  ['fec0::', 10, 'ipv6', 'link-local or metadata'],
  ['100.64.0.0', 10, 'ipv4', 'shared (CGNAT)'], // includes Alibaba's 100.100.100.200 metadata address
  ['224.0.0.0', 4, 'ipv4', 'multicast'],
  ['ff00::', 8, 'ipv6', 'multicast'],
  ['0.0.0.0', 8, 'ipv4', 'reserved'],
  ['192.0.0.0', 24, 'ipv4', 'reserved'],
  ['192.0.2.0', 24, 'ipv4', 'reserved'],
  ['192.88.99.0', 24, 'ipv4', 'reserved'],
  ['198.18.0.0', 15, 'ipv4', 'reserved'],
  ['198.51.100.0', 24, 'ipv4', 'reserved'],
  ['203.0.113.0', 24, 'ipv4', 'reserved'],
  ['240.0.0.0', 4, 'ipv4', 'reserved'], // includes 255.255.255.255
  ['::', 96, 'ipv6', 'reserved'], // unspecified, and IPv4-compatible (::a.b.c.d, deprecated)
  ['64:ff9b::', 96, 'ipv6', 'reserved'], // NAT64: embeds an IPv4 address
  ['64:ff9b:1::', 48, 'ipv6', 'reserved'],
  ['100::', 64, 'ipv6', 'reserved'],
  ['2001::', 32, 'ipv6', 'reserved'], // Teredo: embeds an IPv4 address
  ['2001:db8::', 32, 'ipv6', 'reserved'],
  ['2002::', 16, 'ipv6', 'reserved'], // 6to4: embeds an IPv4 address
]

const lists = new Map<AddressRefusal, BlockList>()
for (const [network, prefix, family, refusal] of RANGES) {
  const list = lists.get(refusal) ?? new BlockList()
  list.addSubnet(network, prefix, family)
  lists.set(refusal, list)
}

const MAPPED = /^::ffff:(?:0:)?/i

/**
 * The reason `address` must not be reached, or null when it is a public unicast address.
 * IPv4-mapped and IPv4-translated IPv6 addresses are judged by the IPv4 address they carry, and
 * refused as `reserved` when that one is public too (a public host has a plain address).
 */
export function refusalFor(
  address: string,
  options: { readonly allowLoopback: boolean },
): AddressRefusal | null {
  const family = isIP(address)
  if (family === 0) return 'reserved'
  const type = family === 4 ? 'ipv4' : 'ipv6'
  for (const [refusal, list] of lists) {
    if (list.check(address, type)) return refusal === 'loopback' && options.allowLoopback ? null : refusal
  }
  if (type === 'ipv6' && MAPPED.test(address)) return 'reserved'
  return null
}

/**
 * For a URL's host as written (a literal address in any spelling the URL parser normalises, or a
 * name): the refusal that is certain without a DNS lookup, else null. Literal addresses get
 * `refusalFor`; `localhost` and `*.localhost` are loopback. Other names are judged on every request,
 * after resolution. Lets a tool with an internal URL be refused when it is saved.
 */
export function targetRefusal(
  hostname: string,
  options: { readonly allowLoopback: boolean },
): AddressRefusal | null {
  const host = hostname
    .replace(/^\[|\]$/g, '')
    .toLowerCase()
    .replace(/\.$/, '')
  if (isIP(host) !== 0) return refusalFor(host, options)
  if (host === 'localhost' || host.endsWith('.localhost')) return options.allowLoopback ? null : 'loopback'
  return null
}
