// dynalite ships no types; the reference makes them visible to every program that compiles this file.
// eslint-disable-next-line @typescript-eslint/triple-slash-reference
/// <reference path="./dynalite.d.ts" />
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import dynalite from 'dynalite';

export interface LocalService {
  url: string;
  port: number;
  stop: () => Promise<void>;
}

/**
 * A DynamoDB-compatible server (dynalite, in memory) speaking the real HTTP protocol; port 0 picks
 * a free one. Tables become active at once, so tests need not wait.
 */
export async function startLocalDynamoDb(port = 0, host = '127.0.0.1'): Promise<LocalService> {
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  server.listen(port, host);
  await once(server, 'listening');
  const actualPort = (server.address() as AddressInfo).port;
  return {
    url: `http://${host}:${actualPort}`,
    port: actualPort,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
