import type { Logger } from 'pino';

/**
 * A warning logged at most once per `intervalMs`, for a failure every request meets while a
 * dependency is down (one line per interval says it; a line per request would flood the logs).
 */
export function throttledWarning(logger: Logger, message: string, intervalMs = 10_000): (context: object) => void {
  let lastAt = -Infinity;
  return (context) => {
    const now = Date.now();
    if (now - lastAt < intervalMs) return;
    lastAt = now;
    logger.warn(context, message);
  };
}
