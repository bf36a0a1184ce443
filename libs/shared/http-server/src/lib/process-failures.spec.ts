import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';

const WORKSPACE = join(__dirname, '..', '..', '..', '..', '..');

interface LogLine {
  level: string;
  msg: string;
  event?: string;
  signal?: string;
  request_id?: string;
}

/**
 * Runs the failing service as a real process and, unless it fails by itself, sends it one request
 * with `X-Request-Id: req-42`; answers its exit code and its JSON log lines.
 */
async function runFailingService(failure: string): Promise<{ code: number | null; lines: LogLine[] }> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(__dirname, 'failing-service.testing.ts'), failure], {
    cwd: WORKSPACE,
    env: { ...process.env, TSX_TSCONFIG_PATH: join(WORKSPACE, 'tsconfig.base.json') },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  let requested = false;
  child.stdout.on('data', (chunk: Buffer) => {
    out += chunk.toString();
    const listening = /"port":(\d+),"msg":"listening"/.exec(out);
    if (listening && failure !== 'outside' && !requested) {
      requested = true;
      void fetch(`http://127.0.0.1:${listening[1]}/`, { headers: { 'x-request-id': 'req-42' } }).then((response) => response.text());
    }
  });
  const [code] = (await once(child, 'exit')) as [number | null];
  return {
    code,
    lines: out
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as LogLine),
  };
}

describe('process-level failures', () => {
  it.each([
    ['rejection', 'unhandledRejection'],
    ['exception', 'uncaughtException'],
  ])(
    'when a %s escapes a request handler, then it is logged fatal with the request id and the process drains and exits 1',
    async (failure, event) => {
      const { code, lines } = await runFailingService(failure);
      expect(code).toBe(1);
      const fatal = lines.find((line) => line.level === 'fatal');
      expect(fatal).toMatchObject({ event, request_id: 'req-42' });
      // Through the normal drain, started by the failure, its steps in order. (The order of the
      // fatal line among the drain's lines is the asynchronous log destination's: it may land last.)
      const drainLines = lines.filter((line) => line.msg !== fatal?.msg).map((line) => line.msg);
      expect(lines.find((line) => line.msg === 'shutting down')).toMatchObject({ signal: event });
      expect(drainLines.slice(drainLines.indexOf('shutting down'))).toEqual(['shutting down', 'work drained', 'stopped']);
    },
  );

  it('when a failure happens outside any request, then it is logged fatal without a request id', async () => {
    const { code, lines } = await runFailingService('outside');
    expect(code).toBe(1);
    const fatal = lines.find((line) => line.level === 'fatal');
    expect(fatal).toMatchObject({ event: 'unhandledRejection' });
    expect(fatal?.request_id).toBeUndefined();
  });
});
