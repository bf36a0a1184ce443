import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ServiceApp } from './service-app';

export interface RunningServer {
  server: Server;
  port: number;
  /** Stops accepting connections, lets in-flight requests finish (up to `graceMs`), then closes. */
  stop: (graceMs?: number) => Promise<void>;
}

/** Starts the app on `port` (0 picks a free one, as tests do). */
export async function startHttpServer(app: ServiceApp, port: number, host = '0.0.0.0'): Promise<RunningServer> {
  const server = createServer(app).listen(port, host);
  await once(server, 'listening');
  // Longer than the ALB's 60 s idle timeout, so the load balancer, not us, closes idle connections.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;

  const stop = async (graceMs = 10_000): Promise<void> => {
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeIdleConnections();
    const forced = setTimeout(() => server.closeAllConnections(), graceMs);
    forced.unref();
    await closed;
    clearTimeout(forced);
  };
  return { server, port: (server.address() as AddressInfo).port, stop };
}
