/**
 * The weekly storm as the prod overlay deploys it (rendered by `kubectl kustomize`), checked against
 * the capacity plan for the storm its CronJob requests: KEDA's cron trigger brings up at least the
 * planned worker pods before the storm starts and keeps them past its deadline, within the
 * ScaledObject's maximum (k8s/README.md#the-weekly-storm).
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { stormRequestSchema } from '@inventory/domain/model';
import { DEFAULT_INPUTS, planStorm, type UnitCosts } from './capacity-plan';

const root = join(__dirname, '..', '..');

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
    const unitCosts = JSON.parse(readFileSync(join(__dirname, 'unit-costs.json'), 'utf8')) as UnitCosts;
    const plan = planStorm(
      {
        ...DEFAULT_INPUTS,
        stores: request.stores,
        skus_per_store: request.skus_per_store,
        duration_s: request.duration_seconds,
        change_ratio: request.change_ratio,
        target_cpu: request.target_cpu / 100,
        pod_cores: Number(worker.resources.limits.cpu),
      },
      unitCosts,
    );

    expect(cronJob.suspend).not.toBe(true);
    expect(Number(cron.desiredReplicas)).toBeGreaterThanOrEqual(plan.worker_pods);
    expect(scaledObject.maxReplicaCount).toBeGreaterThanOrEqual(Number(cron.desiredReplicas));
    expect(cron.timezone).toBe(cronJob.timeZone);
    const startsAt = minuteOfWeek(cronJob.schedule);
    expect(startsAt - minuteOfWeek(cron.start)).toBeGreaterThanOrEqual(10);
    expect(minuteOfWeek(cron.end) - startsAt).toBeGreaterThanOrEqual(Math.ceil(request.duration_seconds / 60) + 10);
  });
});
