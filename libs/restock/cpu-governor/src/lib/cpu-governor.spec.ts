import { CpuGovernor, type GovernorClock } from './cpu-governor';

/** A clock the spec moves: `work(ms)` spends CPU and wall time alike; a sleep moves wall time only. */
function testClock() {
  const clock = {
    wallMs: 0,
    cpuUsedMs: 0,
    slept: [] as number[],
    now: () => clock.wallMs,
    cpuMs: () => clock.cpuUsedMs,
    sleep: async (ms: number) => {
      clock.slept.push(ms);
      clock.wallMs += ms;
    },
    work(ms: number, cores = 1) {
      clock.wallMs += ms;
      clock.cpuUsedMs += ms * cores;
    },
  };
  return clock satisfies GovernorClock;
}

describe('CpuGovernor', () => {
  it('when work ran above the target, then pace() sleeps it back down to the target', async () => {
    const clock = testClock();
    const governor = new CpuGovernor(1, clock);
    governor.setTarget(10);
    clock.work(30);
    await governor.pace();
    // 30 ms of CPU at 10% of one core needs 300 ms of wall time: 30 worked, 270 slept.
    expect(clock.slept).toEqual([270]);
  });

  it('when the target allows all the work done, then pace() does not sleep', async () => {
    const clock = testClock();
    const governor = new CpuGovernor(1, clock);
    governor.setTarget(100);
    clock.work(30);
    await governor.pace();
    expect(clock.slept).toEqual([]);
  });

  it('when the allowance is two cores, then work on both at 50% of it needs twice its wall time', async () => {
    const clock = testClock();
    const governor = new CpuGovernor(2, clock);
    governor.setTarget(50);
    clock.work(40, 2);
    await governor.pace();
    expect(clock.slept).toEqual([40]);
  });

  it('when a window of a second has passed, then the next one starts afresh: earlier work is not slept off again', async () => {
    const clock = testClock();
    const governor = new CpuGovernor(1, clock);
    governor.setTarget(50);
    clock.work(600);
    await governor.pace();
    expect(clock.slept).toEqual([600]);
    clock.work(10);
    await governor.pace();
    expect(clock.slept).toEqual([600, 10]);
  });

  it("when no clock is given, then it paces by this process's own CPU: it sleeps at least what the CPU it measured requires", async () => {
    const constructed = performance.now();
    const governor = new CpuGovernor(1);
    governor.setTarget(10);
    const cpuBefore = process.cpuUsage();
    const until = performance.now() + 60;
    while (performance.now() < until) Math.sqrt(Math.random());
    const burnt = process.cpuUsage(cpuBefore);
    const started = performance.now();
    await governor.pace();
    // A lower bound a busy box only raises: this CPU at 10% needs ten times its wall time.
    const required = ((burnt.user + burnt.system) / 1000) * 10 - (started - constructed);
    expect(performance.now() - started).toBeGreaterThanOrEqual(required - 1);
    expect(required).toBeGreaterThan(0);
  });
});
