/**
 * Who may read what proves an identity (local credentials, tokens, signatures): a caller on this machine's
 * loopback, calling it by a loopback name, from no page or a page of this server. A browser page of another site
 * runs on this machine too: its requests come from loopback, so the Origin must be this server's; and a site
 * whose name an attacker points at 127.0.0.1 (DNS rebinding) would be its own Origin, so the Host must name
 * loopback.
 */
import type { IncomingMessage } from 'node:http';

export const LOOPBACK_ADDRESSES: ReadonlySet<string> = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);
/** The names a page on this machine reaches the server by (the Host header, without its port). */
const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/** Why `request` may not be answered with a secret, or undefined when it may. */
export function crossSiteRefusal(request: IncomingMessage): string | undefined {
  const host = request.headers.host ?? '';
  if (!LOOPBACK_HOSTS.has(host.replace(/:\d+$/, '').toLowerCase()))
    return `Call it as localhost, 127.0.0.1 or [::1], not ${host || 'no Host'}.`;
  const origin = request.headers.origin;
  if (origin !== undefined && hostOf(origin) !== request.headers.host)
    return `Only a page served by this server may call it (Origin ${origin}).`;
  return undefined;
}

function hostOf(origin: string): string | undefined {
  try {
    return new URL(origin).host;
  } catch {
    return undefined;
  }
}
