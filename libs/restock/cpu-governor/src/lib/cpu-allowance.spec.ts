import { availableParallelism } from 'node:os';
import { cpuAllowanceCores } from './cpu-allowance';

const files = (contents: Record<string, string>) => (path: string) => {
  const text = contents[path];
  if (text === undefined) throw new Error(`ENOENT ${path}`);
  return text;
};

describe('cpuAllowanceCores', () => {
  it('when an override is given, then it wins', () => {
    expect(cpuAllowanceCores(1.5, files({ '/sys/fs/cgroup/cpu.max': '400000 100000' }))).toBe(1.5);
  });

  it('when cgroup v2 sets a quota, then the allowance is quota / period', () => {
    expect(cpuAllowanceCores(undefined, files({ '/sys/fs/cgroup/cpu.max': '150000 100000\n' }))).toBe(1.5);
  });

  it('when cgroup v1 sets a quota, then the allowance is quota / period', () => {
    const v1 = files({ '/sys/fs/cgroup/cpu/cpu.cfs_quota_us': '50000', '/sys/fs/cgroup/cpu/cpu.cfs_period_us': '100000' });
    expect(cpuAllowanceCores(undefined, v1)).toBe(0.5);
  });

  it('when no limit is set, then it is the machine cores', () => {
    expect(cpuAllowanceCores(undefined, files({ '/sys/fs/cgroup/cpu.max': 'max 100000' }))).toBe(availableParallelism());
  });
});
