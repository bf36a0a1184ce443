/**
 * A process for process-failures.spec.ts: an HTTP server with the apps' request logging and
 * drain, whose one route leaves a failure behind after answering, the way argv[2] says
 * (`rejection`, `exception`); `outside` fails at start, outside any request.
 */
import { createServer } from 'node:http';
import { createLogger, requestLogging } from '@inventory/shared/observability';
import { onShutdownSignal } from './graceful-shutdown';
import { exitOnProcessFailure } from './process-failures';

const logger = createLogger({ app: 'failing-service', level: 'info' });
const failure = process.argv[2];
const fail = () => {
  if (failure === 'exception') throw new Error('thrown in a callback');
  void Promise.reject(new Error('a promise nobody awaited'));
};

const logging = requestLogging(logger);
const server = createServer((req, res) =>
  logging(req, res, () => {
    setTimeout(fail, 10);
    res.end('ok');
  }),
);
const drain = onShutdownSignal(logger, [
  { name: 'http', run: () => new Promise<void>((resolve) => server.close(() => resolve())) },
  { name: 'work', run: async () => logger.info('work drained') },
]);
exitOnProcessFailure(logger, drain);
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  logger.info({ port: typeof address === 'object' && address ? address.port : 0 }, 'listening');
  if (failure === 'outside') setTimeout(fail, 10);
});
