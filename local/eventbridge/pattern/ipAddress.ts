/**
 * IP addresses for `cidr` matching and for pattern strings that are IP addresses (event-ruler compiles
 * those to a one-address range, so `"10.0.0.1"` also matches an IPv6 spelling variant of the same address).
 */
export interface IpAddress {
  version: 4 | 6;
  value: bigint;
}

export interface CidrBlock {
  version: 4 | 6;
  /** First and last address of the block, inclusive. */
  low: bigint;
  high: bigint;
}

const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

function parseIpv4(text: string): bigint | undefined {
  const m = IPV4.exec(text);
  if (!m) return undefined;
  let value = 0n;
  for (const part of m.slice(1)) {
    const octet = Number(part);
    if (octet > 255) return undefined;
    value = (value << 8n) | BigInt(octet);
  }
  return value;
}

function parseIpv6(text: string): bigint | undefined {
  if (!/^[0-9a-fA-F:.]+$/.test(text) || !text.includes(':')) return undefined;
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const groupsOf = (part: string): number[] | undefined => {
    if (part === '') return [];
    const groups: number[] = [];
    const pieces = part.split(':');
    for (let i = 0; i < pieces.length; i += 1) {
      const piece = pieces[i] as string;
      if (i === pieces.length - 1 && piece.includes('.')) {
        const v4 = parseIpv4(piece);
        if (v4 === undefined) return undefined;
        groups.push(Number(v4 >> 16n), Number(v4 & 0xffffn));
      } else {
        if (!/^[0-9a-fA-F]{1,4}$/.test(piece)) return undefined;
        groups.push(parseInt(piece, 16));
      }
    }
    return groups;
  };
  const head = groupsOf(halves[0] as string);
  const tail = halves.length === 2 ? groupsOf(halves[1] as string) : [];
  if (!head || !tail) return undefined;
  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return undefined;
  const groups = [...head, ...new Array<number>(halves.length === 2 ? missing : 0).fill(0), ...tail];
  let value = 0n;
  for (const group of groups) value = (value << 16n) | BigInt(group);
  return value;
}

/** The address `text` spells, or undefined when it is not an IPv4 or IPv6 address. */
export function parseIpAddress(text: string): IpAddress | undefined {
  const v4 = parseIpv4(text);
  if (v4 !== undefined) return { version: 4, value: v4 };
  const v6 = parseIpv6(text);
  if (v6 !== undefined) return { version: 6, value: v6 };
  return undefined;
}

/** The block `text` (`address/length`) covers; throws a plain Error with the reason when malformed. */
export function parseCidr(text: string): CidrBlock {
  const slash = text.indexOf('/');
  if (slash < 0 || slash !== text.lastIndexOf('/')) throw new Error(`Malformed CIDR, one '/' required: ${text}`);
  const address = parseIpAddress(text.slice(0, slash));
  if (!address) throw new Error(`Invalid IP address in CIDR: ${text}`);
  const lengthText = text.slice(slash + 1);
  const bits = address.version === 4 ? 32 : 128;
  if (!/^\d{1,3}$/.test(lengthText) || Number(lengthText) > bits) throw new Error(`Invalid CIDR prefix length: ${text}`);
  const hostBits = BigInt(bits - Number(lengthText));
  const mask = (1n << hostBits) - 1n;
  const low = address.value & ~mask;
  return { version: address.version, low, high: low | mask };
}

export function cidrContains(block: CidrBlock, address: IpAddress): boolean {
  return block.version === address.version && address.value >= block.low && address.value <= block.high;
}
