import { Writable } from 'node:stream';
import { createLogger } from './logger';
import { throttledWarning } from './throttled-warning';

describe('throttledWarning', () => {
  it('when a failure repeats within the interval, then it is logged once', () => {
    const lines: string[] = [];
    const destination = new Writable({ write: (chunk, _encoding, done) => (lines.push(String(chunk)), done()) });
    const warn = throttledWarning(createLogger({ app: 'test', level: 'warn', destination }), 'down', 60_000);
    for (let i = 0; i < 5; i += 1) warn({ attempt: i });
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0] ?? '{}')).toMatchObject({ msg: 'down', attempt: 0 });
  });
});
