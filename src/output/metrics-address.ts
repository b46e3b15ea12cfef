// --metrics ADDR → where to listen. Loopback unless the address is spelled out as public:, so
// that a typo or a copied 0.0.0.0 does not open the metrics to other machines. Pure.
import { UsageError } from '../errors.js';
import { quote } from '../grammar/quote.js';

export type MetricsAddress = { kind: 'tcp'; host: string; port: number } | { kind: 'unix'; path: string };

const PUBLIC = 'public:';

// PORT, HOST:PORT or [IPv6]:PORT on a loopback address, unix:PATH, or public:HOST:PORT.
export function parseMetricsAddress(text: string): MetricsAddress {
  const fail = (why: string) => new UsageError(`--metrics: ${quote(text)}: ${why}`);
  if (text.startsWith('unix:')) {
    const path = text.slice(5);
    if (path === '' || path.includes('\0')) throw fail('unix: needs a socket path (unix:/run/timerstack.sock)');
    return { kind: 'unix', path };
  }
  const open = text.startsWith(PUBLIC);
  const rest = open ? text.slice(PUBLIC.length) : text;
  const m = /^(?:(?:\[([^\]]*)\]|([^:[\]]*)):)?(\d+)$/.exec(rest);
  if (!m) throw fail('use PORT, HOST:PORT, [IPv6]:PORT or unix:PATH');
  const host = m[1] ?? m[2] ?? '127.0.0.1';
  const port = Number(m[3]);
  if (m[3]!.length > 5 || port < 1 || port > 65535) throw fail('the port must be 1 to 65535');
  if (host === '') throw fail('the host is missing before the ":"');
  if (m[1] !== undefined && !isIPv6(host)) throw fail(`${quote(host)} is not an IPv6 address`);
  if (!open && !isLoopback(host)) {
    throw fail(`${quote(host)} is not a loopback address, so other machines could read the metrics; write public:${rest} to mean that`);
  }
  return { kind: 'tcp', host, port };
}

// Written by hand rather than with node:net's isIPv4/isIPv6: the bundle would load node:net
// at every start for them.
function isIPv4(host: string): boolean {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(host);
  return m !== null && m.slice(1).every((octet) => Number(octet) <= 255);
}

// The WHATWG URL parser checks an IPv6 address and writes it canonically, or throws.
function canonicalIPv6(host: string): string | undefined {
  if (!host.includes(':')) return undefined;
  try {
    return new URL(`http://[${host}]/`).hostname.slice(1, -1);
  } catch {
    return undefined;
  }
}

function isIPv6(host: string): boolean {
  return canonicalIPv6(host) !== undefined;
}

// localhost, 127.0.0.0/8 and ::1 (also as an IPv4-mapped address).
export function isLoopback(host: string): boolean {
  if (host === 'localhost') return true;
  if (isIPv4(host)) return host.startsWith('127.');
  // Canonical IPv6 writes ::ffff:127.0.0.1 as ::ffff:7f00:1.
  const canonical = canonicalIPv6(host);
  return canonical === '::1' || (canonical !== undefined && /^::ffff:7f[0-9a-f]{2}:/.test(canonical));
}

// The address as a URL (or socket path) for messages.
export function describeAddress(a: MetricsAddress): string {
  if (a.kind === 'unix') return `unix:${a.path}`;
  return `http://${a.host.includes(':') ? `[${a.host}]` : a.host}:${a.port}/metrics`;
}
