import { networkInterfaces } from 'node:os';

/** This machine's first IPv4 address that is not loopback: a caller from it is not a loopback caller. */
export function networkAddress(): string {
  const address = Object.values(networkInterfaces())
    .flat()
    .find((candidate) => candidate && candidate.family === 'IPv4' && !candidate.internal)?.address;
  if (!address) throw new Error('This test needs a network interface besides loopback (any container or machine has one).');
  return address;
}
