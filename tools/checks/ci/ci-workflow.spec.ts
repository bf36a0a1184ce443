import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { readProjectGraph } from '../nx/project-graph';

const WORKSPACE = join(__dirname, '..', '..', '..');
const APPS = ['query-api', 'write-api', 'restock-worker'];
const APP_ROOTS = APPS.map((app) => `apps/${app}`);

interface Step {
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
}
interface Job {
  if?: string;
  needs?: string | string[];
  permissions?: Record<string, string>;
  steps: Step[];
}

const workflow = parse(readFileSync(join(WORKSPACE, '.github', 'workflows', 'ci.yml'), 'utf8'));
const jobs = workflow.jobs as Record<string, Job>;

/** The `-t` targets of a job's `nx affected` commands. */
function affectedTargets(job: Job): string[] {
  return job.steps.flatMap((step) =>
    [...(step.run ?? '').matchAll(/npx nx affected -t ((?:[a-z][\w-]* ?)+)/g)].flatMap((match) => match[1].trim().split(' ')),
  );
}

function stepIndex(job: Job, predicate: (step: Step) => boolean): number {
  const index = job.steps.findIndex(predicate);
  if (index < 0) throw new Error('no such step');
  return index;
}

const graph = readProjectGraph(WORKSPACE);

/** Projects (by root) that have `target`, as Nx resolves them: declared in project.json or inferred by a plugin. */
function projectsWithTarget(target: string, projects: string[]): string[] {
  const targetsAt = new Map(Object.values(graph.nodes).map((node) => [node.data.root, node.data.targets ?? {}]));
  return projects.filter((root) => target in (targetsAt.get(root) ?? {}));
}

describe('.github/workflows/ci.yml', () => {
  it('when a pull request opens or main moves, then the workflow runs', () => {
    expect(Object.keys(workflow.on).sort()).toEqual(['pull_request', 'push']);
    expect(workflow.on.push.branches).toEqual(['main']);
  });

  it.each(Object.keys(jobs))('when job %s runs nx affected, then it has the whole history and base/head SHAs set first', (name) => {
    const job = jobs[name];
    const affected = stepIndex(job, (step) => /nx affected/.test(step.run ?? ''));
    const checkout = stepIndex(job, (step) => step.uses?.startsWith('actions/checkout@') ?? false);
    const shas = stepIndex(job, (step) => step.uses?.startsWith('nrwl/nx-set-shas@') ?? false);
    expect(job.steps[checkout].with?.['fetch-depth']).toBe(0);
    expect(checkout).toBeLessThan(shas);
    expect(shas).toBeLessThan(affected);
  });

  it('when verifying, then lint, typecheck, test and build run on the affected projects, after the sync check', () => {
    expect(affectedTargets(jobs['verify'])).toEqual(['lint', 'typecheck', 'test', 'build']);
    expect(jobs['verify'].steps.some((step) => step.run === 'npx nx sync:check')).toBe(true);
    // Every target named exists, so nx affected cannot silently skip one.
    for (const target of ['lint', 'typecheck', 'test', 'build']) expect(projectsWithTarget(target, APP_ROOTS)).toEqual(APP_ROOTS);
  });

  it('when main moves, then only the affected apps are deployed, after verification, with OIDC credentials', () => {
    const deploy = jobs['deploy'];
    expect(deploy.if).toBe("github.event_name == 'push' && github.ref == 'refs/heads/main'");
    expect(deploy.needs).toBe('verify');
    expect(deploy.permissions?.['id-token']).toBe('write');
    expect(affectedTargets(deploy)).toEqual(['deploy']);
    expect(projectsWithTarget('deploy', [...APP_ROOTS, 'libs/domain/model', 'k8s', 'tools'])).toEqual(APP_ROOTS);
    const run = deploy.steps.map((step) => step.run ?? '').join('\n');
    expect(run).toContain('--registry=${{ steps.ecr.outputs.registry }}');
    expect(run).toContain('--tag=${{ github.sha }}');
    expect(deploy.steps.findIndex((step) => step.run?.includes('apply-shared.sh'))).toBeLessThan(
      deploy.steps.findIndex((step) => step.run?.includes('-t deploy')),
    );
  });

  it.each(APPS)('when %s is deployed, then its deploy target builds its image first and forwards the registry, tag and overlay', (app) => {
    const { targets } = JSON.parse(readFileSync(join(WORKSPACE, 'apps', app, 'project.json'), 'utf8'));
    expect(targets.deploy.dependsOn).toEqual([{ target: 'docker-build', params: 'forward' }]);
    expect(targets.deploy.options.command).toBe(`bash tools/deploy/deploy-app.sh ${app} {args.registry} {args.tag} {args.overlay}`);
  });
});
