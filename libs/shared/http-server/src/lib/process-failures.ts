import { currentRequestId, type Logger } from '@inventory/shared/observability';
import type { Drain } from './graceful-shutdown';

type ProcessFailure = 'unhandledRejection' | 'uncaughtException';

/**
 * A rejection nobody handled or an exception nobody caught leaves the process in a state no code
 * planned for. Rather than die mid-request (Node's default) or run on, the process logs it as
 * `fatal`, with the request it happened in when there was one, and ends through the normal drain:
 * readiness fails, in-flight requests finish, clients close, exit code 1.
 */
export function exitOnProcessFailure(logger: Logger, drain: Drain): void {
  const fail = (event: ProcessFailure) => (error: unknown) => {
    logger.fatal({ err: error, event, request_id: currentRequestId() }, `${event}: draining and exiting`);
    void drain(event, 1);
  };
  process.on('unhandledRejection', fail('unhandledRejection'));
  process.on('uncaughtException', fail('uncaughtException'));
}
