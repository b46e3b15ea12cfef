// --metrics ADDR → where to listen. Loopback unless the address is spelled out as public:, so
// that a typo or a copied 0.0.0.0 does not open the metrics to other machines. Pure.
import { isIPv4, isIPv6 } from 'node:net';
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

// localhost, 127.0.0.0/8 and ::1 (also as an IPv4-mapped address).
export function isLoopback(host: string): boolean {
  if (host === 'localhost') return true;
  if (isIPv4(host)) return host.startsWith('127.');
  if (!isIPv6(host)) return false;
  // The WHATWG URL parser writes IPv6 addresses in their canonical form (::ffff:127.0.0.1 is ::ffff:7f00:1).
  const canonical = new URL(`http://[${host}]/`).hostname.slice(1, -1);
  return canonical === '::1' || /^::ffff:7f[0-9a-f]{2}:/.test(canonical);
}

// The address as a URL (or socket path) for messages.
export function describeAddress(a: MetricsAddress): string {
  if (a.kind === 'unix') return `unix:${a.path}`;
  return `http://${a.host.includes(':') ? `[${a.host}]` : a.host}:${a.port}/metrics`;
}
