import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';

/**
 * Node's HTTP parser answers what it cannot parse with an empty 400; callers get the platform's
 * JSON error shape instead (431 for oversized headers, 408 for a request that never completed).
 * A connection with a request still in flight is the caller's to close after that answer.
 */
export function answerUnparsable(error: NodeJS.ErrnoException, socket: Socket): void {
  // Only a connection with no answer sent gets one: bytes that do not parse after a request (a body
  // sent without framing) must not become the answer the client pairs with that request.
  if (!socket.writable || socket.bytesWritten > 0 || error.code === 'ECONNRESET') {
    socket.destroy();
    return;
  }
  const [status, code, message] =
    error.code === 'HPE_HEADER_OVERFLOW'
      ? [431, 'HEADERS_TOO_LARGE', 'request headers are too large']
      : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? [408, 'REQUEST_TIMEOUT', 'the request was not received in time']
        : [400, 'MALFORMED_REQUEST', 'the request is not valid HTTP/1.1'];
  const body = JSON.stringify({ error: { code, message }, request_id: null });
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/json; charset=utf-8\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\nX-Content-Type-Options: nosniff\r\nConnection: close\r\n\r\n${body}`,
  );
}
