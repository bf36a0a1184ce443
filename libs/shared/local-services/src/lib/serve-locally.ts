import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface LocalService {
  url: string;
  port: number;
  stop: () => Promise<void>;
}

/** Listens on `host:port` (0: a free port) and describes the running service. */
export async function serveLocally(server: Server, port: number, host: string): Promise<LocalService> {
  server.listen(port, host);
  await once(server, 'listening');
  const actualPort = (server.address() as AddressInfo).port;
  return {
    url: `http://${host}:${actualPort}`,
    port: actualPort,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
