import { lookup } from 'node:dns/promises';
import ipaddr from 'ipaddr.js';

/** An address a delivery may connect to, checked: the socket is pinned to it (no second lookup). */
export interface CheckedTarget {
  url: URL;
  address: string;
  family: 4 | 6;
}

/** The target is not a public address (or does not resolve); `problem` says which and why. */
export class WebhookTargetRefusedError extends Error {
  constructor(readonly problem: string) {
    super(problem);
    this.name = 'WebhookTargetRefusedError';
  }
}

/**
 * Only globally routable unicast addresses: loopback, private, link-local (169.254.169.254, the
 * cloud metadata service), unique-local (fd00:ec2::254), carrier-grade NAT, multicast and the
 * reserved ranges are all something else in ipaddr.js's classification. An IPv4 address mapped
 * into IPv6 is judged as the IPv4 address it is.
 */
export function isPublicAddress(address: string): boolean {
  let parsed: ipaddr.IPv4 | ipaddr.IPv6 = ipaddr.parse(address);
  if (parsed.kind() === 'ipv6' && (parsed as ipaddr.IPv6).isIPv4MappedAddress()) parsed = (parsed as ipaddr.IPv6).toIPv4Address();
  return parsed.range() === 'unicast';
}

/**
 * Resolves a webhook URL's host and refuses it unless every address it resolves to is public
 * (or `allowPrivate`, for local use). Run at registration and again before each delivery, which
 * then connects to the address checked here: a name that re-resolves to an internal address
 * between the check and the connection (DNS rebinding) never gets the request.
 */
export async function checkWebhookTarget(rawUrl: string, allowPrivate: boolean): Promise<CheckedTarget> {
  const url = new URL(rawUrl);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new WebhookTargetRefusedError('must be an http or https URL');
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  let addresses: Array<{ address: string; family: number }>;
  try {
    addresses = await lookup(host, { all: true, verbatim: true });
  } catch {
    throw new WebhookTargetRefusedError(`host ${host} does not resolve`);
  }
  if (addresses.length === 0) throw new WebhookTargetRefusedError(`host ${host} does not resolve`);
  if (!allowPrivate) {
    const internal = addresses.find(({ address }) => !isPublicAddress(address));
    if (internal) throw new WebhookTargetRefusedError(`host ${host} resolves to ${internal.address}, which is not a public address`);
  }
  const [first] = addresses;
  return { url, address: first.address, family: first.family === 6 ? 6 : 4 };
}
