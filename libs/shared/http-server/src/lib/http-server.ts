import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import net, { type AddressInfo, type Socket } from 'node:net';
import { sendJson } from './json-response';
import { answerUnparsable } from './unparsable-request';

export interface RunningServer {
  server: Server;
  port: number;
  /**
   * Drains: idle keep-alive connections close at once, and requests are still served as usual
   * (the load balancer may send a few more before it notices the pod is unready) until the last
   * `finishMs` of the grace. From then the listener closes and a request is answered `503
   * SHUTTING_DOWN` (`Retry-After: 1`, `Connection: close`) at once, and every answer closes its
   * connection, so what was taken finishes before the deadline instead of being reset at it.
   * Connections stay kept until then: clients that keep sending reuse them rather than queue new
   * ones in the listen backlog, which closing the listener would reset. Resolves once nothing has
   * been in flight for `quietMs`, or after `graceMs` at most, with every connection closed.
   */
  stop: (graceMs?: number, quietMs?: number, finishMs?: number) => Promise<void>;
}

/** How long a drained server waits, with nothing in flight, for a last request before it closes. */
export const DRAIN_QUIET_MS = 250;

/** The end of the grace kept for requests already taken: a write's DynamoDB deadline and retries fit in it. */
export const DRAIN_FINISH_MS = 3_000;

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
  let refusing = false;
  const inFlight = new Set<ServerResponse>();
  const connections = new Map<Socket, Connection>();
  let settled: (() => void) | undefined;
  let quietTimer: NodeJS.Timeout | undefined;
  let quietMsWhileDraining = DRAIN_QUIET_MS;

  // Once draining, the drain ends after `quietMsWhileDraining` with nothing in flight. Checked again
  // after the loop's next I/O pass: a process stalled longer than that (a busy node) runs the expired
  // timer before it reads the requests that arrived meanwhile, and closing then would reset them.
  const armQuietTimer = () => {
    clearTimeout(quietTimer);
    if (draining && inFlight.size === 0)
      quietTimer = setTimeout(
        () =>
          setImmediate(() => {
            if (inFlight.size === 0) settled?.();
          }),
        quietMsWhileDraining,
      );
  };

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    inFlight.add(res);
    clearTimeout(quietTimer);
    const connection = connections.get(req.socket);
    if (connection) connection.busy += 1;
    if (refusing) res.setHeader('Connection', 'close');
    res.once('close', () => {
      inFlight.delete(res);
      if (connection) {
        connection.busy -= 1;
        connection.lastActiveAt = performance.now();
        if (connection.closeAfterAnswer && connection.busy === 0) req.socket.destroySoon();
      }
      armQuietTimer();
    });
    if (refusing) {
      res.setHeader('Retry-After', '1');
      sendJson(res, 503, { error: { code: 'SHUTTING_DOWN', message: 'this instance is shutting down; retry' } });
      return;
    }
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

  const drain = async (graceMs: number, quietMs: number, finishMs: number): Promise<void> => {
    draining = true;
    const closed = new Promise<void>((resolve) => server.once('close', () => resolve()));
    const stopTaking = setTimeout(() => {
      refusing = true;
      // Stop listening only: http's close would also drop connections opened a moment ago whose
      // request is on its way, resetting it; those get the 503 instead. Answers not yet begun
      // close their connection once sent.
      net.Server.prototype.close.call(server);
      for (const res of inFlight) if (!res.headersSent) res.setHeader('Connection', 'close');
    }, graceMs - finishMs);
    quietMsWhileDraining = quietMs;
    // Connections idle for `quietMs` close now; one that just finished an answer may already carry
    // its client's next request, which closing it would reset: it is answered, and closes later.
    const now = performance.now();
    for (const [socket, connection] of connections) {
      if (connection.busy === 0 && now - connection.lastActiveAt >= quietMs) socket.destroy();
    }
    const quiet = new Promise<void>((resolve) => (settled = resolve));
    armQuietTimer();
    const grace = new Promise<void>((resolve) => setTimeout(resolve, graceMs).unref());
    await Promise.race([quiet, grace]);
    clearTimeout(quietTimer);
    clearTimeout(stopTaking);
    if (!refusing) server.close();
    server.closeAllConnections();
    await closed;
  };
  // A second stop waits for the first: the server closes once.
  let stopped: Promise<void> | undefined;
  const stop = (graceMs = 10_000, quietMs = DRAIN_QUIET_MS, finishMs = Math.min(DRAIN_FINISH_MS, graceMs / 2)) =>
    (stopped ??= drain(graceMs, quietMs, finishMs));
  return { server, port: (server.address() as AddressInfo).port, stop };
}
