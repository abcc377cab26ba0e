/**
 * IP network functions (cidrhost, cidrnetmask, cidrsubnet, cidrsubnets) for IPv4 and IPv6,
 * with addresses as BigInts so that IPv6 arithmetic is exact.
 */
import { list, str } from '../../model/value';
import { asInt, asString, deepMarks, fn, FnError, MANY, type FnTable } from './support';

interface Network {
  readonly bits: 32 | 128;
  /** Network address (host bits cleared). */
  readonly addr: bigint;
  readonly prefix: number;
}

function parseIPv4(s: string): bigint | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(s);
  if (!m) return undefined;
  const octets = m.slice(1).map(Number);
  if (octets.some((o) => o > 255)) return undefined;
  return octets.reduce((acc, o) => (acc << 8n) | BigInt(o), 0n);
}

function parseIPv6(s: string): bigint | undefined {
  let text = s;
  let tail: bigint[] = [];
  const v4 = /^(.*:)(\d{1,3}(?:\.\d{1,3}){3})$/.exec(text);
  if (v4) {
    const n = parseIPv4(v4[2]);
    if (n === undefined) return undefined;
    tail = [n >> 16n, n & 0xffffn];
    text = v4[1].endsWith('::') ? v4[1] : v4[1].slice(0, -1);
  }
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const groups = (h: string): bigint[] | undefined => {
    if (h === '') return [];
    const parts = h.split(':');
    if (!parts.every((p) => /^[0-9a-fA-F]{1,4}$/.test(p))) return undefined;
    return parts.map((p) => BigInt(`0x${p}`));
  };
  const left = groups(halves[0]);
  const right = halves.length === 2 ? groups(halves[1]) : [];
  if (!left || !right) return undefined;
  const given = left.length + right.length + tail.length;
  if (halves.length === 1 ? given !== 8 : given > 7) return undefined;
  const all = [...left, ...Array<bigint>(8 - given).fill(0n), ...right, ...tail];
  return all.reduce((acc, g) => (acc << 16n) | g, 0n);
}

function parseCidr(s: string): Network {
  const m = /^([^/]+)\/(\d{1,3})$/.exec(s);
  const v4 = m ? parseIPv4(m[1]) : undefined;
  const v6 = m && v4 === undefined ? parseIPv6(m[1]) : undefined;
  const bits = v4 !== undefined ? 32 : 128;
  const prefix = m ? Number(m[2]) : -1;
  const addr = v4 ?? v6;
  if (addr === undefined || prefix > bits) throw new FnError(`invalid CIDR expression: invalid CIDR address: ${s}`);
  const hostBits = BigInt(bits - prefix);
  return { bits, prefix, addr: (addr >> hostBits) << hostBits };
}

function formatIPv4(n: bigint): string {
  return [24n, 16n, 8n, 0n].map((s) => String((n >> s) & 0xffn)).join('.');
}

/** Go's net.IP.String(): IPv4-mapped addresses dotted, otherwise RFC 5952 (longest zero run as ::). */
function formatIp(n: bigint, bits: 32 | 128): string {
  if (bits === 32) return formatIPv4(n);
  if (n >> 32n === 0xffffn) return formatIPv4(n & 0xffffffffn);
  const groups = Array.from({ length: 8 }, (_, i) => (n >> BigInt(112 - 16 * i)) & 0xffffn);
  let best = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0n) { i++; continue; }
    let j = i;
    while (j < 8 && groups[j] === 0n) j++;
    if (j - i > bestLen) { best = i; bestLen = j - i; }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (best < 0) return hex.join(':');
  return `${hex.slice(0, best).join(':')}::${hex.slice(best + bestLen).join(':')}`;
}

function cidrhost(prefix: string, hostnum: number): string {
  const net = parseCidr(prefix);
  const max = (1n << BigInt(net.bits - net.prefix)) - 1n;
  let n = BigInt(hostnum);
  if (n < 0n) n = max + n + 1n;
  if (n < 0n || n > max) throw new FnError(`prefix of ${net.prefix} does not accommodate a host numbered ${hostnum}`);
  return formatIp(net.addr | n, net.bits);
}

function cidrsubnet(prefix: string, newbits: number, netnum: number): string {
  const net = parseCidr(prefix);
  const length = net.prefix + newbits;
  if (newbits < 0) throw new FnError('newbits must not be negative');
  if (length > net.bits) throw new FnError(`insufficient address space to extend prefix of ${net.prefix} by ${newbits}`);
  if (netnum < 0 || BigInt(netnum) > (1n << BigInt(newbits)) - 1n) {
    throw new FnError(`prefix extension of ${newbits} does not accommodate a subnet numbered ${netnum}`);
  }
  return `${formatIp(net.addr | (BigInt(netnum) << BigInt(net.bits - length)), net.bits)}/${length}`;
}

/** Consecutive subnets, each aligned to its own size, allocated from the start of the prefix. */
function cidrsubnets(prefix: string, newbits: readonly number[]): string[] {
  const net = parseCidr(prefix);
  const end = net.addr + (1n << BigInt(net.bits - net.prefix));
  let cursor = net.addr;
  return newbits.map((nb, i) => {
    if (nb < 1) throw new FnError(`argument ${i + 2}: must extend prefix by at least one bit`);
    const length = net.prefix + nb;
    if (length > net.bits) throw new FnError(`argument ${i + 2}: would extend prefix to ${length} bits, which is too long for an IPv${net.bits === 32 ? 4 : 6} address`);
    const size = 1n << BigInt(net.bits - length);
    const start = ((cursor + size - 1n) / size) * size;
    if (start + size > end) {
      throw new FnError(`argument ${i + 2}: not enough remaining address space for a subnet with a prefix of ${length} bits after ${formatIp(cursor - 1n, net.bits)}`);
    }
    cursor = start + size;
    return `${formatIp(start, net.bits)}/${length}`;
  });
}

export const networkFunctions: FnTable = {
  cidrhost: fn(2, 2, (args) => str(cidrhost(asString(args[0], 'prefix'), asInt(args[1], 'hostnum')), deepMarks(...args))),
  cidrnetmask: fn(1, 1, (args) => {
    const net = parseCidr(asString(args[0], 'prefix'));
    if (net.bits !== 32) throw new FnError('IPv6 addresses cannot have a netmask');
    return str(formatIPv4(((1n << 32n) - 1n) ^ ((1n << BigInt(32 - net.prefix)) - 1n)), deepMarks(...args));
  }),
  cidrsubnet: fn(3, 3, (args) => str(cidrsubnet(asString(args[0], 'prefix'), asInt(args[1], 'newbits'), asInt(args[2], 'netnum')), deepMarks(...args))),
  cidrsubnets: fn(1, MANY, (args) => {
    const marks = deepMarks(...args);
    const nets = cidrsubnets(asString(args[0], 'prefix'), args.slice(1).map((a, i) => asInt(a, `argument ${i + 2}`)));
    return list(nets.map((n) => str(n, marks)), marks);
  }),
};
