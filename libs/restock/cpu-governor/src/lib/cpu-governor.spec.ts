import { CpuGovernor } from './cpu-governor';

function burn(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until) Math.sqrt(Math.random());
}

describe('CpuGovernor', () => {
  it('when work ran above the target, then pace() sleeps it back down to the target', async () => {
    const governor = new CpuGovernor(1);
    governor.setTarget(10);
    burn(30);
    const started = performance.now();
    await governor.pace();
    // 30 ms of CPU at 10% of one core needs ~300 ms of wall time in all.
    expect(performance.now() - started).toBeGreaterThan(150);
  });

  it('when the target allows all the work done, then pace() does not sleep', async () => {
    const governor = new CpuGovernor(1);
    governor.setTarget(100);
    burn(30);
    const started = performance.now();
    await governor.pace();
    expect(performance.now() - started).toBeLessThan(20);
  });
});
