/**
 * The weekly storm as the prod overlay deploys it (rendered by `kubectl kustomize`), checked against
 * the capacity plan for the storm its CronJob requests: KEDA's cron trigger brings up at least the
 * planned worker pods before the storm starts and keeps them past its deadline, within the
 * ScaledObject's maximum (k8s/README.md#the-weekly-storm); the events consumers' ScaledObject brings up
 * the pods the plan needs for the storm's events to end within 5 minutes of it, and never runs fewer
 * than a normal day's peak needs.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { stormRequestSchema } from '@inventory/domain/model';
import { DEFAULT_INPUTS, planStorm } from './capacity-plan';
import { measuredUnitCosts } from './plan';

const root = join(__dirname, '..', '..');

/** A Kubernetes CPU quantity (`500m`, `1`) in cores. */
const cores = (quantity: string) => (quantity.endsWith('m') ? Number(quantity.slice(0, -1)) / 1_000 : Number(quantity));

/** Minutes into the week of a `M H * * D` cron expression (the only form the storm's schedules use). */
function minuteOfWeek(cron: string): number {
  const match = /^(\d+) (\d+) \* \* (\d)$/.exec(cron);
  if (!match) throw new Error(`${cron}: not a weekly "M H * * D" schedule`);
  const [minute = 0, hour = 0, day = 0] = match.slice(1).map(Number);
  return (day * 24 + hour) * 60 + minute;
}

describe('the weekly storm in prod', () => {
  const rendered = spawnSync('kubectl', ['kustomize', join(root, 'k8s', 'overlays', 'prod')], { encoding: 'utf8' });
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- rendered Kubernetes objects
  const objects: any[] = rendered.status === 0 ? parseAllDocuments(rendered.stdout).map((document) => document.toJS()) : [];
  const find = (kind: string, name: string) => objects.find((object) => object.kind === kind && object.metadata.name === name);

  it('when the CronJob requests the seed storm, then the cron pre-scale brings up the pods the plan needs, 10 minutes early, until past its deadline, within the maximum', () => {
    expect({ status: rendered.status, error: rendered.error?.message }).toEqual({ status: 0, error: undefined });
    const cronJob = find('CronJob', 'storm-schedule').spec;
    const [container] = cronJob.jobTemplate.spec.template.spec.containers;
    const request = stormRequestSchema.parse(
      JSON.parse(container.env.find((entry: { name: string }) => entry.name === 'STORM_REQUEST').value),
    );
    const scaledObject = find('ScaledObject', 'restock-worker').spec;
    const cron = scaledObject.triggers.find((trigger: { type: string }) => trigger.type === 'cron').metadata;
    const worker = find('Deployment', 'restock-worker').spec.template.spec.containers[0];
    const consumer = find('Deployment', 'events-consumer').spec.template.spec.containers[0];
    const plan = planStorm(
      {
        ...DEFAULT_INPUTS,
        stores: request.stores,
        skus_per_store: request.skus_per_store,
        duration_s: request.duration_seconds,
        change_ratio: request.change_ratio,
        target_cpu: request.target_cpu / 100,
        pod_cores: Number(worker.resources.limits.cpu),
        events_pod_cores: cores(consumer.resources.requests.cpu),
      },
      measuredUnitCosts(),
    );

    expect(cronJob.suspend).not.toBe(true);
    expect(Number(cron.desiredReplicas)).toBeGreaterThanOrEqual(plan.worker_pods);
    expect(scaledObject.maxReplicaCount).toBeGreaterThanOrEqual(Number(cron.desiredReplicas));
    expect(cron.timezone).toBe(cronJob.timeZone);
    const startsAt = minuteOfWeek(cronJob.schedule);
    expect(startsAt - minuteOfWeek(cron.start)).toBeGreaterThanOrEqual(10);
    expect(minuteOfWeek(cron.end) - startsAt).toBeGreaterThanOrEqual(Math.ceil(request.duration_seconds / 60) + 10);

    // The events consumers: the planned pods up before the storm, until its events' 5 minutes after it are past.
    const events = find('ScaledObject', 'events-consumer').spec;
    const eventsCron = events.triggers.find((trigger: { type: string }) => trigger.type === 'cron').metadata;
    expect(Number(eventsCron.desiredReplicas)).toBeGreaterThanOrEqual(plan.events_pods_for_storm);
    expect(plan.events_trail_s).toBeLessThanOrEqual(DEFAULT_INPUTS.events_trail_s);
    expect(events.maxReplicaCount).toBeGreaterThanOrEqual(Number(eventsCron.desiredReplicas));
    expect(events.minReplicaCount).toBeGreaterThanOrEqual(plan.events_pods_for_peak);
    expect(eventsCron.timezone).toBe(cronJob.timeZone);
    expect(startsAt - minuteOfWeek(eventsCron.start)).toBeGreaterThanOrEqual(10);
    expect(minuteOfWeek(eventsCron.end) - startsAt).toBeGreaterThanOrEqual(
      Math.ceil((request.duration_seconds + DEFAULT_INPUTS.events_trail_s) / 60) + 10,
    );
  });
});
