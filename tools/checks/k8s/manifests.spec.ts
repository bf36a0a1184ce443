import { execFile, execFileSync, spawnSync } from 'node:child_process';
import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { configSchema } from '@inventory/shared/config';
import { INVENTORY_METRICS, METRIC_NAMESPACE } from '@inventory/shared/observability';
import { restockWaitListKey } from '@inventory/restock/queue';
import { routeFor } from '@inventory/shared/http-server';
import { stormRequestSchema } from '@inventory/domain/model';
import { assembleKustomization, type KubernetesObject } from './assemble-kustomization';

const root = join(__dirname, '..', '..', '..');

const OVERLAYS = ['dev', 'prod'];
const APPS = ['query-api', 'write-api', 'restock-worker'];
const APIS = ['query-api', 'write-api'];

function find(objects: KubernetesObject[], kind: string, name: string): KubernetesObject {
  const found = objects.find((object) => object.kind === kind && object.metadata.name === name);
  if (!found) throw new Error(`no ${kind} ${name}`);
  return found;
}

/** Which backend the ALB picks for a request, reading the Ingress as the AWS Load Balancer Controller does. */
function albRoute(ingress: KubernetesObject, method: string, path: string): string | undefined {
  const annotations: Record<string, string> = ingress.metadata['annotations'] ?? {};
  for (const rule of ingress['spec'].rules) {
    for (const candidate of rule.http.paths) {
      const matches =
        candidate.pathType === 'Exact'
          ? path === candidate.path
          : candidate.path === '/' || path === candidate.path || path.startsWith(`${candidate.path}/`);
      if (!matches) continue;
      const name: string = candidate.backend.service.name;
      const conditions = JSON.parse(annotations[`alb.ingress.kubernetes.io/conditions.${name}`] ?? '[]') as Array<{
        field: string;
        httpRequestMethodConfig: { Values: string[] };
      }>;
      if (
        conditions.some(
          (condition) => condition.field === 'http-request-method' && !condition.httpRequestMethodConfig.Values.includes(method),
        )
      )
        continue;
      const action = annotations[`alb.ingress.kubernetes.io/actions.${name}`];
      if (!action) return name;
      const parsed = JSON.parse(action);
      return parsed.type === 'fixed-response' ? 'internal' : parsed.forwardConfig.targetGroups[0].serviceName;
    }
  }
  return undefined;
}

const RUNTIME_REPOSITORIES = [
  'libs/stock/inventory-table/src/lib/store-inventory.repository.ts',
  'libs/stock/inventory-table/src/lib/stock-write.repository.ts',
  'libs/stock/movements/src/lib/movement-history.repository.ts',
  'libs/stock/idempotency/src/lib/idempotency-records.ts',
  'libs/events/low-stock/src/lib/low-stock-threshold.repository.ts',
  'libs/events/webhooks/src/lib/webhook.repository.ts',
  'libs/events/stock-events/src/lib/events-consumer.ts',
  'libs/shared/dynamodb/src/lib/batch-get.ts',
  'libs/stock/movements/src/lib/event-dead-letters.ts',
];
/** The events consumer's shard leases: their calls are allowed on the lease table only. */
const SHARD_LEASES = 'libs/events/stock-events/src/lib/shard-leases/shard-lease.table.ts';
/** What reads the table's stream: its calls are allowed on the stream only. */
const STREAM_READER = 'libs/events/stock-events/src/lib/table-stream.reader.ts';
const TRANSACTION_ITEM_ACTIONS: Record<string, string> = {
  Put: 'PutItem',
  Update: 'UpdateItem',
  Delete: 'DeleteItem',
  ConditionCheck: 'ConditionCheckItem',
};

/**
 * Every IAM action the runtime repositories need, read from their source: each SDK command they
 * send, except that a TransactWriteItems is authorised per item, as the actions of the items it holds.
 */
function repositoryActions(files: string[]): string[] {
  const actions = new Set<string>();
  for (const file of files) {
    const source = readFileSync(join(root, file), 'utf8');
    for (const [, command] of source.matchAll(/new (\w+)Command\(/g)) {
      if (command !== 'TransactWriteItems') actions.add(`dynamodb:${command}`);
    }
    if (source.includes('new TransactWriteItemsCommand(')) {
      for (const [, kind] of source.matchAll(/^\s+(Put|Update|Delete|ConditionCheck): \{$/gm))
        actions.add(`dynamodb:${TRANSACTION_ITEM_ACTIONS[kind as string]}`);
    }
  }
  return [...actions].sort();
}

describe.each(OVERLAYS)('k8s overlay %s', (overlay) => {
  const directory = join(root, 'k8s', 'overlays', overlay);
  const objects = assembleKustomization(directory);
  const config = find(objects, 'ConfigMap', 'inventory-config')['data'] as Record<string, string>;
  // What the deployments take from Secrets, not in git: any value of the right form stands for it.
  const fromSecrets = { WEBHOOK_SECRET_KEY: Buffer.alloc(32).toString('base64') };

  it('when assembled, then every object is valid against the Kubernetes and KEDA schemas', () => {
    const problems = execFileSync(process.execPath, [join(__dirname, 'validate-objects.mjs')], {
      input: JSON.stringify(objects),
    }).toString();
    expect(problems).toBe('');
    expect(objects.every((object) => object.kind === 'Namespace' || object.metadata.namespace === 'inventory')).toBe(true);
  });

  it('when the ConfigMap and the Secrets each deployment names are loaded as the apps load them, then it is a valid configuration for this environment', () => {
    expect(() => configSchema.parse({ ...config, ...fromSecrets })).not.toThrow();
    expect(() => configSchema.parse(config)).toThrow(/WEBHOOK_SECRET_KEY/);
    for (const app of [...APPS, 'events-consumer']) {
      const [container] = find(objects, 'Deployment', app)['spec'].template.spec.containers;
      for (const [name, key] of [
        ['REDIS_USERNAME', 'username'],
        ['REDIS_PASSWORD', 'password'],
      ])
        expect(container.env).toContainEqual({ name, valueFrom: { secretKeyRef: { name: 'inventory-memorydb', key } } });
    }
    expect(find(objects, 'ScaledObject', 'restock-worker')['spec'].triggers[0].metadata).toMatchObject({
      usernameFromEnv: 'REDIS_USERNAME',
      passwordFromEnv: 'REDIS_PASSWORD',
    });
    for (const app of ['write-api', 'events-consumer']) {
      const [container] = find(objects, 'Deployment', app)['spec'].template.spec.containers;
      expect(container.env).toContainEqual({
        name: 'WEBHOOK_SECRET_KEY',
        valueFrom: { secretKeyRef: { name: 'inventory-webhook-secrets', key: 'key' } },
      });
    }
    expect(config['APP_ENV']).toBe(overlay);
  });

  it("when one app is deployed by label (tools/deploy), then its selector picks exactly that app's objects and the shared selector the rest", () => {
    const nameOf = (object: KubernetesObject): string | undefined => object.metadata['labels']?.['app.kubernetes.io/name'];
    for (const app of APPS) {
      const selected = objects.filter((object) => nameOf(object) === app).map((object) => `${object.kind}/${object.metadata.name}`);
      const own = assembleKustomization(join(root, 'k8s', app)).map((object) => `${object.kind}/${object.metadata.name}`);
      expect(selected.sort()).toEqual(own.sort());
    }
    const shared = objects.filter((object) => nameOf(object) === undefined).map((object) => `${object.kind}/${object.metadata.name}`);
    expect(shared.sort()).toEqual(
      assembleKustomization(join(root, 'k8s', 'base'))
        .map((object) => `${object.kind}/${object.metadata.name}`)
        .sort(),
    );
  });
  it.each(APPS)('when %s is deployed, then it has probes on its real endpoints, resources, a PDB and a hardened, spread pod', (app) => {
    const deployment = find(objects, 'Deployment', app);
    const pod = deployment['spec'].template.spec;
    const [container] = pod.containers;
    expect(container.image).toMatch(new RegExp(`^\\d{12}\\.dkr\\.ecr\\.[a-z0-9-]+\\.amazonaws\\.com/inventory/${app}:[\\w.-]+$`));
    expect(container.ports).toEqual([
      { name: 'http', containerPort: configSchema.shape.PORT.parse(undefined) },
      { name: 'management', containerPort: configSchema.shape.MANAGEMENT_PORT.parse(undefined) },
    ]);
    expect(container.startupProbe.httpGet).toEqual({ path: '/health', port: 'http' });
    expect(container.livenessProbe.httpGet).toEqual({ path: '/health', port: 'http' });
    // /ready and /metrics live on the management port only, which the Service and the Ingress never route to.
    expect(container.readinessProbe.httpGet).toEqual({ path: '/ready', port: 'management' });
    expect(deployment['spec'].template.metadata.annotations).toMatchObject({
      'prometheus.io/port': String(configSchema.shape.MANAGEMENT_PORT.parse(undefined)),
      'prometheus.io/path': '/metrics',
    });
    for (const resource of ['cpu', 'memory']) {
      expect(container.resources.requests[resource]).toBeDefined();
      expect(container.resources.limits[resource]).toBeDefined();
    }
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
    expect(container.securityContext).toMatchObject({
      readOnlyRootFilesystem: true,
      allowPrivilegeEscalation: false,
      capabilities: { drop: ['ALL'] },
    });
    expect(pod.topologySpreadConstraints.map((constraint: { topologyKey: string }) => constraint.topologyKey)).toContain(
      'topology.kubernetes.io/zone',
    );
    expect(pod.serviceAccountName).toBe(find(objects, 'ServiceAccount', 'inventory').metadata.name);
    // The drain (SHUTDOWN_GRACE_MS) and the preStop pause must end before Kubernetes kills the pod.
    const preStopMs = (container.lifecycle?.preStop?.sleep?.seconds ?? 0) * 1000;
    expect(pod.terminationGracePeriodSeconds * 1000).toBeGreaterThan(Number(config['SHUTDOWN_GRACE_MS']) + preStopMs);

    const pdb = find(objects, 'PodDisruptionBudget', app);
    expect(pdb['spec'].selector.matchLabels).toEqual(deployment['spec'].selector.matchLabels);
    const policy = find(objects, 'NetworkPolicy', app);
    expect(policy['spec'].podSelector.matchLabels).toEqual(deployment['spec'].selector.matchLabels);
  });

  it("when the events consumer is deployed, then it runs restock-worker's image in the events role, with its own probes, PDB and network policy, and pods apart from the storm worker's", () => {
    const consumer = find(objects, 'Deployment', 'events-consumer');
    const worker = find(objects, 'Deployment', 'restock-worker');
    const [container] = consumer['spec'].template.spec.containers;
    expect(container.image).toBe(worker['spec'].template.spec.containers[0].image);
    expect(container.env).toContainEqual({ name: 'WORKER_ROLE', value: 'events' });
    expect(configSchema.parse({ ...config, ...fromSecrets, WORKER_ROLE: 'events' }).WORKER_ROLE).toBe('events');
    expect(container.startupProbe.httpGet).toEqual({ path: '/health', port: 'http' });
    expect(container.livenessProbe.httpGet).toEqual({ path: '/health', port: 'http' });
    expect(container.readinessProbe.httpGet).toEqual({ path: '/ready', port: 'management' });
    // The pods share the shards by lease, two at least (one takes a dead one's over); KEDA scales them on the lag the pods report, and on CPU.
    expect(consumer['spec'].replicas).toBeUndefined();
    const scaled = find(objects, 'ScaledObject', 'events-consumer');
    expect(scaled['spec'].scaleTargetRef).toEqual({ name: 'events-consumer' });
    expect(scaled['spec'].minReplicaCount).toBeGreaterThanOrEqual(2);
    const trigger = (type: string) => scaled['spec'].triggers.find((one: { type: string }) => one.type === type);
    const [lag, cpu] = [trigger('prometheus'), trigger('cpu')];
    expect(lag).toMatchObject({ type: 'prometheus', metadata: { threshold: expect.any(String) } });
    expect(lag.metadata.query).toContain(INVENTORY_METRICS.EventsLagSeconds.prometheusName);
    expect(cpu).toMatchObject({ type: 'cpu', metricType: 'Utilization' });
    const pdb = find(objects, 'PodDisruptionBudget', 'events-consumer');
    expect(pdb['spec'].selector.matchLabels).toEqual(consumer['spec'].selector.matchLabels);
    expect(pdb['spec'].minAvailable).toBe(1);
    expect(find(objects, 'NetworkPolicy', 'events-consumer')['spec'].podSelector.matchLabels).toEqual(
      consumer['spec'].selector.matchLabels,
    );
    const selects = (selector: Record<string, string>, labels: Record<string, string>) =>
      Object.entries(selector).every(([label, value]) => labels[label] === value);
    expect(selects(worker['spec'].selector.matchLabels, consumer['spec'].template.metadata.labels)).toBe(false);
    expect(selects(consumer['spec'].selector.matchLabels, worker['spec'].template.metadata.labels)).toBe(false);
    expect(consumer['spec'].template.spec.terminationGracePeriodSeconds * 1000).toBeGreaterThan(Number(config['SHUTDOWN_GRACE_MS']));
  });

  it.each(APIS)(
    'when %s scales, then an HPA on CPU owns it, with a Service on its port and ingress only from the load balancer (API and health check), the scraper and, to write-api, the storm schedule',
    (app) => {
      const hpa = find(objects, 'HorizontalPodAutoscaler', app);
      expect(hpa['spec'].scaleTargetRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name: app });
      expect(hpa['spec'].metrics[0].resource.name).toBe('cpu');
      if (overlay === 'prod') expect(hpa['spec']).toMatchObject({ minReplicas: 3, maxReplicas: 10 });
      expect(find(objects, 'Deployment', app)['spec'].replicas).toBeUndefined();
      const service = find(objects, 'Service', app);
      expect(service['spec'].selector).toEqual(find(objects, 'Deployment', app)['spec'].selector.matchLabels);
      expect(service['spec'].ports).toEqual([expect.objectContaining({ name: 'http', targetPort: 'http' })]);
      expect(find(objects, 'Ingress', 'inventory').metadata.annotations?.['alb.ingress.kubernetes.io/healthcheck-port']).toBe(
        String(configSchema.shape.MANAGEMENT_PORT.parse(undefined)),
      );
      const rules = find(objects, 'NetworkPolicy', app)['spec'].ingress as Array<{ from: object[]; ports: Array<{ port: string }> }>;
      const portsFrom = (kind: string) =>
        rules
          .filter((rule) => rule.from.some((source) => kind in source))
          .flatMap((rule) => rule.ports.map(({ port }) => port))
          .sort();
      // The ALB: the API, and /ready for its health check (an overlay's patch replaces the whole list).
      expect(portsFrom('ipBlock')).toEqual(['http', 'management']);
      expect(portsFrom('namespaceSelector')).toEqual(['management']);
      // Inside the cluster only the weekly storm's CronJob, and only to start the storm.
      expect(portsFrom('podSelector')).toEqual(app === 'write-api' ? ['http'] : []);
      expect(rules.every((rule) => rule.from.length === 1)).toBe(true);
    },
  );

  it('when the storm queue backs up, then KEDA scales restock-worker on the very list BullMQ fills', () => {
    const scaledObject = find(objects, 'ScaledObject', 'restock-worker');
    const [trigger] = scaledObject['spec'].triggers;
    expect(scaledObject['spec'].scaleTargetRef.name).toBe('restock-worker');
    expect(trigger.type).toBe('redis-cluster');
    expect(trigger.metadata.listName).toBe(
      restockWaitListKey(config['RESTOCK_QUEUE_PREFIX'] ?? configSchema.shape.RESTOCK_QUEUE_PREFIX.parse(undefined)),
    );
    expect(config[trigger.metadata.addressesFromEnv]).toBeDefined();
    expect(find(objects, 'Deployment', 'restock-worker')['spec'].replicas).toBeUndefined();
    expect(scaledObject['spec'].minReplicaCount).toBeLessThanOrEqual(1);
    // Workers take no traffic: only the scraper may reach them.
    const sources = find(objects, 'NetworkPolicy', 'restock-worker')['spec'].ingress.flatMap((rule: { from: object[] }) => rule.from);
    expect(sources.every((source: object) => 'namespaceSelector' in source)).toBe(true);
  });

  it.each([
    ['GET', '/inventory/store/store-1'],
    ['HEAD', '/inventory/store/store-1'],
    ['POST', '/inventory/update'],
    ['POST', '/stress/restock'],
    ['GET', '/stress/restock/storm-1-abcdef01'],
    ['GET', '/admin/queues'],
    ['GET', '/admin/queues/api/queues'],
    ['PUT', '/inventory/store/store-1/sku/SKU-1/threshold'],
    ['POST', '/admin/webhooks'],
    ['DELETE', '/admin/webhooks/wh-1'],
    ['POST', '/inventory/batch'],
    ['GET', '/health'],
    ['GET', '/ready'],
    ['GET', '/metrics'],
    ['GET', '/nowhere'],
  ])('when %s %s reaches the Ingress, then it goes where the local ingress stand-in (tested against the apps) sends it', (method, path) => {
    const ingress = find(objects, 'Ingress', 'inventory');
    const backend = albRoute(ingress, method, path);
    expect(backend).toBe(routeFor(method, path));
    if (backend !== 'internal') expect(find(objects, 'Service', backend ?? '')['spec'].ports[0].name).toBe('http');
  });

  it('when the weekly storm is scheduled, then a CronJob starts it on write-api as an operator from a Secret, with a storm request write-api accepts (its worker bounds: tools/capacity/worker-bounds.spec.ts)', () => {
    const cronJob = find(objects, 'CronJob', 'storm-schedule')['spec'];
    const [container] = cronJob.jobTemplate.spec.template.spec.containers;
    const env = new Map<string, { value?: string; valueFrom?: unknown }>(
      container.env.map((entry: { name: string }) => [entry.name, entry]),
    );
    expect(cronJob).toMatchObject({ timeZone: 'Etc/UTC', concurrencyPolicy: 'Forbid' });
    // Dev runs no weekly storm (an operator starts one); prod does.
    expect(cronJob.suspend === true).toBe(overlay === 'dev');
    expect(container.image).toBe(find(objects, 'Deployment', 'restock-worker')['spec'].template.spec.containers[0].image);
    expect(env.get('STORM_API_KEY')).toEqual({
      name: 'STORM_API_KEY',
      valueFrom: { secretKeyRef: { name: 'inventory-storm-schedule', key: 'api-key' } },
    });
    const url = new URL(env.get('STORM_URL')?.value ?? '');
    expect(url.hostname).toBe('write-api.inventory.svc.cluster.local');
    expect(routeFor('POST', url.pathname)).toBe('write-api');
    expect(find(objects, 'Service', 'write-api')['spec'].ports[0].port).toBe(Number(url.port || 80));
    expect(() => stormRequestSchema.parse(JSON.parse(env.get('STORM_REQUEST')?.value ?? ''))).not.toThrow();
  });

  it("when the weekly storm's job runs its script, then it posts the configured storm with the key and succeeds on 202 or 409 only", async () => {
    const [container] = find(objects, 'CronJob', 'storm-schedule')['spec'].jobTemplate.spec.template.spec.containers;
    const [node, flag, script] = container.command as string[];
    expect([node, flag]).toEqual(['node', '-e']);
    const seen: Array<{ method?: string; authorization?: string; body: string }> = [];
    let status = 202;
    const server = createServer((incoming, outgoing) => {
      let body = '';
      incoming.on('data', (chunk: Buffer) => (body += chunk.toString()));
      incoming.on('end', () => {
        seen.push({ method: incoming.method, authorization: incoming.headers.authorization, body });
        outgoing.writeHead(status, { 'content-type': 'application/json' }).end('{}');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    const run = () =>
      new Promise<number | null>((resolve) =>
        execFile(
          process.execPath,
          ['-e', script ?? ''],
          { env: { STORM_URL: `http://127.0.0.1:${port}/stress/restock`, STORM_API_KEY: 'k-1', STORM_REQUEST: '{"stores":3}' } },
          (error) => resolve(error ? ((error as { code?: number }).code ?? null) : 0),
        ),
      );
    try {
      const codes = [];
      for (const answer of [202, 409, 500, 403]) {
        status = answer;
        codes.push(await run());
      }
      expect(codes).toEqual([0, 0, 1, 1]);
      expect(seen[0]).toEqual({ method: 'POST', authorization: 'Bearer k-1', body: '{"stores":3}' });
    } finally {
      server.close();
    }
  });

  it("when the IAM policy is read, then it allows exactly the DynamoDB calls the repositories make, on the inventory and movements tables only, the shard leases' on the lease table only, the stream reads on its stream only, and metrics in our namespace only", () => {
    const policy = JSON.parse(readFileSync(join(directory, 'iam-policy.json'), 'utf8'));
    const [table, leases, stream, metrics] = policy.Statement;
    expect([...table.Action].sort()).toEqual(repositoryActions(RUNTIME_REPOSITORIES));
    expect([...leases.Action].sort()).toEqual(repositoryActions([SHARD_LEASES]));
    expect([...stream.Action].sort()).toEqual(repositoryActions([STREAM_READER]));
    const account = /arn:aws:iam::(\d{12}):/.exec(
      find(objects, 'ServiceAccount', 'inventory').metadata['annotations']['eks.amazonaws.com/role-arn'],
    )?.[1];
    const tableArn = `arn:aws:dynamodb:${config['AWS_REGION']}:${account}:table/${config['DYNAMODB_TABLE']}`;
    const movementsArn = `${tableArn}-movements`;
    expect(table.Resource).toEqual([tableArn, `${tableArn}/index/*`, movementsArn, `${movementsArn}/index/*`]);
    expect(leases.Resource).toEqual([`${tableArn}-events-leases`]);
    expect(stream.Resource).toEqual([`${tableArn}/stream/*`]);
    expect(metrics).toMatchObject({
      Action: 'cloudwatch:PutMetricData',
      Condition: { StringEquals: { 'cloudwatch:namespace': METRIC_NAMESPACE } },
    });
    expect(policy.Statement).toHaveLength(4);
  });

  it("when kubectl's kustomize renders the overlay, then it renders the same objects as this assembly", () => {
    const kubectl = spawnSync('kubectl', ['kustomize', directory], { encoding: 'utf8' });
    // Without kubectl this check fails by name, never passes unseen (README: prerequisites).
    if (kubectl.error) throw new Error(`kubectl is not on PATH (${kubectl.error.message}): the manifests' render check needs it`);
    expect({ status: kubectl.status, stderr: kubectl.stderr }).toEqual({ status: 0, stderr: '' });
    const rendered = kubectl.stdout;
    const names = (list: KubernetesObject[]) => list.map((object) => `${object.kind}/${object.metadata.name}`).sort();
    expect(names(parseAllDocuments(rendered).map((document) => document.toJS()))).toEqual(names(objects));
  });
});
