import type { Logger } from '@inventory/shared/observability';

export interface ShutdownStep {
  name: string;
  run: () => Promise<unknown>;
}

/** Starts the drain a signal starts, for `reason`; the process exits with `exitCode`, or 1 if a step failed. */
export type Drain = (reason: string, exitCode?: number) => Promise<void>;

/**
 * On SIGTERM/SIGINT: marks the process draining (readiness fails), runs the steps in order
 * (stop taking work, finish in-flight, close clients), then exits 0; a failing step is logged
 * and the rest still run, and a second signal exits at once. Answers the drain, for other causes
 * (a process-level failure) to end the process the same way.
 */
export function onShutdownSignal(logger: Logger, steps: ShutdownStep[], onDraining: () => void = () => undefined): Drain {
  let stopping = false;
  let exitCode = 0;
  const drain: Drain = async (reason, code = 0) => {
    exitCode = Math.max(exitCode, code);
    if (stopping) return;
    stopping = true;
    onDraining();
    logger.info({ signal: reason }, 'shutting down');
    for (const step of steps) {
      try {
        await step.run();
      } catch (error) {
        exitCode = 1;
        logger.error({ err: error, step: step.name }, 'shutdown step failed');
      }
    }
    logger.info('stopped');
    await new Promise<void>((resolve) => logger.flush(() => resolve()));
    process.exit(exitCode);
  };
  const onSignal = (signal: string) => {
    if (stopping) {
      logger.warn({ signal }, 'second signal: exiting now');
      process.exit(1);
    }
    void drain(signal);
  };
  process.on('SIGTERM', () => onSignal('SIGTERM'));
  process.on('SIGINT', () => onSignal('SIGINT'));
  return drain;
}
