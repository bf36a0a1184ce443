import { closeConnection } from '@inventory/shared/redis';
import { join } from 'node:path';
import { connectRedis, type ServiceContext, type ServiceParts } from '@inventory/service/bootstrap';
import { createRestockQueue, restockQueueDepth, startRestockWorker } from '@inventory/restock/queue';
import { StormRecords, StormTimeline } from '@inventory/restock/storm';
import { stopStormAtDeadline } from '@inventory/restock/storm';
import { cpuAllowanceCores, CpuGovernor, reportCpuUsage } from '@inventory/restock/cpu-governor';
import { cpuStageThreads, createCpuStage, createRestockProcessor } from '@inventory/restock/store-processing';
import { createApp } from './app';

const TIMELINE_STEP_SECONDS = 2;

/** The storm worker: restock jobs from the queue, store by store, within its CPU allowance. */
export function composeRestockRole({ config, logger, metrics, backends, isDraining }: ServiceContext): ServiceParts {
  const prefix = config.RESTOCK_QUEUE_PREFIX;
  const workerConnection = connectRedis(config, 'worker', 'restock-worker-jobs');
  // BullMQ's scripts stay off the counters' connection (see write-api's main.ts).
  const queue = createRestockQueue(workerConnection, prefix);
  const records = new StormRecords(backends.redis, prefix, (_stormId, outcome) => metrics.count('RestockCompleted', 1, { outcome }));
  metrics.collectedGauge(restockQueueDepth(queue));
  const governor = new CpuGovernor(cpuAllowanceCores(config.RESTOCK_CPU_CORES));
  // Built beside main.js from cpu-stage.thread.ts (the build's second entry point).
  const cpuStage = createCpuStage(governor.allowanceCores, join(__dirname, 'cpu-stage.thread.js'));
  metrics.collectedGauge(cpuStageThreads(cpuStage));
  const processor = createRestockProcessor({
    repository: backends.repository,
    promises: backends.promiseRecords,
    writes: backends.writes,
    history: backends.history,
    counters: backends.counters,
    records,
    governor,
    cpuStage,
    logger,
    metrics,
    onDeadline: (stormId) => stopStormAtDeadline(queue, records, stormId),
    storeWcuPerSecond: config.RESTOCK_STORE_WCU_PER_SECOND,
  });
  const worker = startRestockWorker({
    connection: workerConnection,
    prefix,
    concurrency: config.RESTOCK_CONCURRENCY,
    lockMs: config.RESTOCK_LOCK_MS,
    process: processor,
    onGaveUp: (stormId) => records.countError(stormId),
    logger,
  });
  // Every 2 s: the RestockCPU gauge, and while a storm runs, this worker's share of its timeline (the storm page).
  const timeline = new StormTimeline(backends.redis, prefix);
  const stopCpuReports = reportCpuUsage(metrics, governor.allowanceCores, TIMELINE_STEP_SECONDS * 1_000, (percent) => {
    void (async () => {
      const stormId = await records.runningStormId();
      const record = stormId ? await records.get(stormId) : undefined;
      if (record?.state === 'running') await timeline.sample(record, percent, new Date(), TIMELINE_STEP_SECONDS);
    })().catch((error: unknown) => logger.warn({ err: error }, 'storm timeline sample failed'));
  });
  logger.info(
    { cpu_allowance_cores: governor.allowanceCores, cpu_stage_threads: cpuStage.threads, concurrency: config.RESTOCK_CONCURRENCY },
    'restock worker started',
  );

  return {
    app: createApp({
      logger,
      metrics,
      readinessChecks: [...backends.readinessChecks, { name: 'queue', critical: true, check: () => workerConnection.ping() }],
      isDraining,
    }),
    stopWork: [
      // Lets active jobs reach the end of their store; waiting ones stay queued for other pods.
      { name: 'restock worker', run: () => worker.close() },
      { name: 'cpu stage', run: () => cpuStage.close() },
      { name: 'cpu reports', run: async () => stopCpuReports() },
    ],
    closeClients: [
      { name: 'restock queue', run: () => queue.close() },
      { name: 'worker connection', run: () => closeConnection(workerConnection) },
    ],
  };
}
