import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { StockEvent } from '@inventory/domain/model';
import { type InventoryTestEnvironment, startInventoryTestEnvironment } from '@inventory/service/testing';
import { deleteKeysWithPrefix } from '@inventory/shared/redis';
import { createRestockQueue, type RestockQueue } from '@inventory/restock/queue';
import { StormRecords } from '@inventory/restock/storm';
import { builtAppBundle } from '@inventory/service/built-apps';

const BUNDLE = builtAppBundle('restock-worker');

/** A test environment with its own restock queue prefix, and the built workers started on it. */
export interface StormTestBed {
  env: InventoryTestEnvironment;
  prefix: string;
  queue: RestockQueue;
  records: StormRecords;
  /** The built worker as a real process, as a pod runs it. */
  startWorker: (extraEnv?: NodeJS.ProcessEnv) => ChildProcess;
  /** SIGKILLs the workers still running, closes the queue, removes keys and table. */
  stop: () => Promise<void>;
}

/** `config` overrides the environment's configuration, for the apps in the test and the workers it starts. */
export async function startStormTestBed(name: string, config: NodeJS.ProcessEnv = {}): Promise<StormTestBed> {
  const prefix = `{${name}-${randomUUID().slice(0, 8)}}`;
  // Storms write tens of thousands of items: each suite's on a DynamoDB Local of its own.
  const env = await startInventoryTestEnvironment({ ...config, RESTOCK_QUEUE_PREFIX: prefix }, { ownDynamoDb: true });
  const queue = createRestockQueue(env.backends.redis, prefix);
  const records = new StormRecords(env.backends.redis, prefix);
  const workers: ChildProcess[] = [];
  const startWorker = (extraEnv: NodeJS.ProcessEnv = {}) => {
    const worker = spawn(process.execPath, [BUNDLE], {
      env: {
        ...process.env,
        PORT: '0',
        MANAGEMENT_PORT: '0',
        ...config,
        ...extraEnv,
        // A test may put a fault proxy between the worker and DynamoDB.
        DYNAMODB_ENDPOINT: extraEnv['DYNAMODB_ENDPOINT'] ?? env.config.DYNAMODB_ENDPOINT,
        DYNAMODB_TABLE: env.config.DYNAMODB_TABLE,
        DYNAMODB_TIMEOUT_MS: String(env.config.DYNAMODB_TIMEOUT_MS),
        REDIS_URL: env.config.REDIS_URL,
        REDIS_KEY_PREFIX: env.config.REDIS_KEY_PREFIX,
        RESTOCK_QUEUE_PREFIX: prefix,
        RESTOCK_CONCURRENCY: '4',
        // A killed worker's jobs are taken over after 2 s instead of the production 30 s.
        RESTOCK_LOCK_MS: '2000',
        LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    workers.push(worker);
    return worker;
  };
  return {
    env,
    prefix,
    queue,
    records,
    startWorker,
    stop: async () => {
      for (const worker of workers) if (worker.exitCode === null && worker.signalCode === null) worker.kill('SIGKILL');
      await queue.close();
      await deleteKeysWithPrefix(env.backends.redis, prefix);
      await env.stop();
    },
  };
}

/** A webhook receiver that takes every delivery (200) and keeps its event, in arrival order. */
export async function startEventReceiver(): Promise<{ server: Server; url: string; deliveries: StockEvent[] }> {
  const deliveries: StockEvent[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      deliveries.push(JSON.parse(Buffer.concat(chunks).toString('utf8')) as StockEvent);
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, deliveries };
}
