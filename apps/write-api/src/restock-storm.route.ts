import type { RequestHandler } from 'express';
import {
  actorOf,
  AppError,
  ConflictError,
  NotFoundError,
  parseInput,
  ServiceUnavailableError,
  stormRequestSchema,
} from '@inventory/domain/model';
import { dispatchStorm } from '@inventory/restock/storm';
import type { RestockQueue } from '@inventory/restock/queue';
import type { StormRecords } from '@inventory/restock/storm';
import { requestPrincipal } from '@inventory/service/access';

const STORM_ID = /^storm-\d+-[0-9a-f]{8}$/;

/** `POST /stress/restock`: starts a Restock Storm, answering 202 with where to watch it. */
export function postRestockStorm(queue: RestockQueue, records: StormRecords): RequestHandler {
  return async (req, res) => {
    const request = parseInput(stormRequestSchema, req.body ?? {});
    let started: Awaited<ReturnType<typeof dispatchStorm>>;
    try {
      started = await dispatchStorm(queue, records, request, { startedBy: actorOf(requestPrincipal(req)) });
    } catch (error) {
      if (error instanceof AppError) throw error;
      req.log.error({ err: error }, 'storm dispatch failed');
      throw new ServiceUnavailableError('the restock queue is unavailable; nothing was started');
    }
    if (!('record' in started)) throw new ConflictError(`a Restock Storm is already running: ${started.runningStormId}`);

    const { record } = started;
    const statusUrl = `/stress/restock/${record.storm_id}`;
    req.log.info({ storm_id: record.storm_id, parameters: record.parameters }, 'restock storm started');
    res.status(202).location(statusUrl).json({
      storm_id: record.storm_id,
      state: record.state,
      status_url: statusUrl,
      dashboard_url: '/admin/queues',
      deadline: record.deadline,
      parameters: record.parameters,
    });
  };
}

/** `GET /stress/restock/{stormId}`: how far a storm got. */
export function getRestockStorm(records: StormRecords): RequestHandler {
  return async (req, res) => {
    const stormId = String(req.params['stormId']);
    const record = STORM_ID.test(stormId) ? await records.get(stormId) : undefined;
    if (!record) throw new NotFoundError(`no Restock Storm ${stormId}`);
    const elapsedMs = (record.finished_at ? Date.parse(record.finished_at) : Date.now()) - Date.parse(record.started_at);
    res.json({ ...record, elapsed_seconds: Math.round(elapsedMs / 100) / 10 });
  };
}
