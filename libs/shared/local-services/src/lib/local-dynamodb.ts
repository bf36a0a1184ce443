// dynalite ships no types; the reference makes them visible to every program that compiles this file.
// eslint-disable-next-line @typescript-eslint/triple-slash-reference
/// <reference path="./dynalite.d.ts" />
import dynalite from 'dynalite';
import { type LocalService, serveLocally } from './serve-locally';

/**
 * A DynamoDB-compatible server (dynalite, in memory) speaking the real HTTP protocol; port 0 picks
 * a free one. Tables become active at once, so tests need not wait.
 */
export async function startLocalDynamoDb(port = 0, host = '127.0.0.1'): Promise<LocalService> {
  return serveLocally(dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 }), port, host);
}
