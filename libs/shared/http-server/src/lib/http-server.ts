import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { answerUnparsable } from './unparsable-request';

export interface RunningServer {
  server: Server;
  port: number;
  /**
   * Drains: idle keep-alive connections close at once, every answer from now on carries
   * `Connection: close`, and new requests are still served (the load balancer may send a few
   * more before it notices the pod is unready). Resolves once nothing has been in flight for
   * `quietMs`, or after `graceMs` at most, with every connection closed.
   */
  stop: (graceMs?: number, quietMs?: number) => Promise<void>;
}

/** How long a drained server waits, with nothing in flight, for a last request before it closes. */
export const DRAIN_QUIET_MS = 250;

/** A connection and when it last had a request in flight. */
interface Connection {
  busy: number;
  lastActiveAt: number;
  /** Unparsable bytes followed the request in flight: close once it is answered. */
  closeAfterAnswer?: boolean;
}

/** Starts a listener (an app, or its management listener) on `port` (0 picks a free one, as tests do). */
export async function startHttpServer(
  app: (req: IncomingMessage, res: ServerResponse) => void,
  port: number,
  host = '0.0.0.0',
): Promise<RunningServer> {
  let draining = false;
  const inFlight = new Set<ServerResponse>();
  const connections = new Map<Socket, Connection>();
  let settled: (() => void) | undefined;
  let quietTimer: NodeJS.Timeout | undefined;
  let quietMsWhileDraining = DRAIN_QUIET_MS;

  // Once draining, the drain ends after `quietMsWhileDraining` with nothing in flight.
  const armQuietTimer = () => {
    clearTimeout(quietTimer);
    if (draining && inFlight.size === 0) quietTimer = setTimeout(() => settled?.(), quietMsWhileDraining);
  };

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    inFlight.add(res);
    clearTimeout(quietTimer);
    const connection = connections.get(req.socket);
    if (connection) connection.busy += 1;
    if (draining) res.setHeader('Connection', 'close');
    res.once('close', () => {
      inFlight.delete(res);
      if (connection) {
        connection.busy -= 1;
        connection.lastActiveAt = performance.now();
        if (connection.closeAfterAnswer && connection.busy === 0) req.socket.destroySoon();
      }
      armQuietTimer();
    });
    app(req, res);
  });
  server.on('connection', (socket: Socket) => {
    connections.set(socket, { busy: 0, lastActiveAt: performance.now() });
    socket.once('close', () => connections.delete(socket));
  });
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Socket) => {
    const connection = connections.get(socket);
    // The request in flight gets its answer, then the connection closes (Node's parser stops here).
    if (connection && connection.busy > 0) {
      for (const res of inFlight) if (res.req.socket === socket && !res.headersSent) res.setHeader('Connection', 'close');
      connection.closeAfterAnswer = true;
      return;
    }
    answerUnparsable(error, socket);
  });
  server.listen(port, host);
  await once(server, 'listening');
  // Longer than the ALB's 60 s idle timeout, so the load balancer, not us, closes idle connections.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;

  const stop = async (graceMs = 10_000, quietMs = DRAIN_QUIET_MS): Promise<void> => {
    draining = true;
    quietMsWhileDraining = quietMs;
    // Answers not yet begun close their connection once sent. Connections idle for `quietMs` close
    // now; one that just finished an answer may already carry its client's next request, which
    // closing it would reset: it gets that answer, with `Connection: close`, or closes at the end.
    for (const res of inFlight) if (!res.headersSent) res.setHeader('Connection', 'close');
    const now = performance.now();
    for (const [socket, connection] of connections) {
      if (connection.busy === 0 && now - connection.lastActiveAt >= quietMs) socket.destroy();
    }
    const quiet = new Promise<void>((resolve) => (settled = resolve));
    armQuietTimer();
    const grace = new Promise<void>((resolve) => setTimeout(resolve, graceMs).unref());
    await Promise.race([quiet, grace]);
    clearTimeout(quietTimer);
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeAllConnections();
    await closed;
  };
  return { server, port: (server.address() as AddressInfo).port, stop };
}
