// The metrics sink's transport: a small node:http server answering GET /metrics with the text
// exposition, on a TCP address or a unix socket. It listens before any timer is armed (a bad
// address is refused with nothing armed) and is closed, connections and all, when the schedule
// ends.
import type { Server } from 'node:http';
import { rmSync } from 'node:fs';
import { TimerstackError } from '../errors.js';
import type { Reporter, StateEvent } from '../supervise/events.js';
import { describeAddress, parseMetricsAddress, type MetricsAddress } from './metrics-address.js';
import { createMetrics, type Metrics } from './metrics.js';

export interface MetricsServer {
  // Where it listens, for messages.
  readonly address: string;
  close(): Promise<void>;
}

export interface MetricsSink {
  reporter: Reporter;
  close(): Promise<void>;
}

// --metrics ADDR: the address checked, prom-client loaded (only now), the server listening.
export async function startMetrics(text: string, states: () => readonly StateEvent[]): Promise<MetricsSink> {
  const address = parseMetricsAddress(text);
  const prom = await import('prom-client');
  const metrics = createMetrics(prom, states);
  const server = await serveMetrics(address, metrics);
  return { reporter: metrics.reporter, close: () => server.close() };
}

const LISTEN_ERRORS: Record<string, string> = {
  EADDRINUSE: 'the address is already in use',
  EACCES: 'permission denied',
  EADDRNOTAVAIL: 'no such address on this machine',
  ENOENT: 'no such directory',
};

// Serves `metrics` at `address`; a failure to listen is one line (exit 125).
export async function serveMetrics(address: MetricsAddress, metrics: Metrics): Promise<MetricsServer> {
  // Loaded here: in the CLI's bundle a static import would load node:http at every start.
  const { createServer } = await import('node:http');
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { Allow: 'GET, HEAD' }).end();
    } else if (path !== '/metrics') {
      res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end('timerstack serves /metrics\n');
    } else {
      metrics.text().then(
        (text) => res.writeHead(200, { 'Content-Type': metrics.contentType }).end(req.method === 'HEAD' ? undefined : text),
        (err: unknown) => res.writeHead(500).end(`${String(err)}\n`),
      );
    }
  });
  try {
    await listen(server, address);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'EIO';
    throw new TimerstackError(code, `--metrics ${describeAddress(address)}: cannot listen: ${LISTEN_ERRORS[code] ?? (err as Error).message}`);
  }
  return {
    address: describeAddress(address),
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

// Listens; a unix socket file left by a process that is gone (nothing accepts on it) is removed
// first, one that is in use is not.
async function listen(server: Server, address: MetricsAddress): Promise<void> {
  try {
    await listenOnce(server, address);
  } catch (err) {
    if (address.kind !== 'unix' || (err as NodeJS.ErrnoException).code !== 'EADDRINUSE' || (await inUse(address.path))) throw err;
    rmSync(address.path, { force: true });
    await listenOnce(server, address);
  }
}

function listenOnce(server: Server, address: MetricsAddress): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (err: Error) => reject(err);
    server.once('error', onError);
    const done = () => {
      server.off('error', onError);
      resolve();
    };
    if (address.kind === 'unix') server.listen(address.path, done);
    else server.listen(address.port, address.host, done);
  });
}

async function inUse(path: string): Promise<boolean> {
  const { connect } = await import('node:net');
  return new Promise((resolve) => {
    const socket = connect(path);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
