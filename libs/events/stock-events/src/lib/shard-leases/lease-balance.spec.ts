import { leasesToTake } from './lease-balance';
import { SHARD_END, type ShardLease } from './shard-lease.table';

const lease = (leaseKey: string, leaseOwner: string | null, checkpoint = 'TRIM_HORIZON'): ShardLease => ({
  leaseKey,
  leaseOwner,
  leaseCounter: 1,
  checkpoint,
  checkpointWrittenAt: null,
  parentShardIds: [],
  ownerSwitchesSinceCheckpoint: 0,
});
const keys = (leases: ShardLease[]) => leases.map((one) => one.leaseKey);

describe('which leases a worker takes', () => {
  it('when no worker holds any of 5 shards, then the first takes them all (it is the only live worker)', () => {
    const leases = ['s1', 's2', 's3', 's4', 's5'].map((key) => lease(key, null));
    expect(keys(leasesToTake(leases, new Set(), 'a'))).toEqual(['s1', 's2', 's3', 's4', 's5']);
  });

  it('when another live worker holds 3 of 5, then this one takes the 2 free ones, not more than its share', () => {
    const leases = [lease('s1', 'b'), lease('s2', 'b'), lease('s3', 'b'), lease('s4', null), lease('s5', null)];
    expect(keys(leasesToTake(leases, new Set(), 'a'))).toEqual(['s4', 's5']);
  });

  it("when a worker's leases expired, then they are free to take, and its share is no longer counted", () => {
    const leases = [lease('s1', 'dead'), lease('s2', 'dead'), lease('s3', 'b'), lease('s4', 'b')];
    // Live: a and b. a aims at 2, takes the dead worker's two.
    expect(keys(leasesToTake(leases, new Set(['s1', 's2']), 'a'))).toEqual(['s1', 's2']);
  });

  it('when nothing is free and one worker holds more than its share, then one lease is stolen a pass, and none once balanced', () => {
    const leases = ['s1', 's2', 's3', 's4'].map((key) => lease(key, 'b'));
    expect(keys(leasesToTake(leases, new Set(), 'a'))).toEqual(['s1']);
    const after = [lease('s1', 'a'), lease('s2', 'a'), lease('s3', 'b'), lease('s4', 'b')];
    expect(leasesToTake(after, new Set(), 'a')).toEqual([]);
    // 3 leases over 2 workers: 2 and 1 is balanced (the aim is 2), nobody steals back and forth.
    expect(leasesToTake([lease('s1', 'b'), lease('s2', 'b'), lease('s3', 'a')], new Set(), 'a')).toEqual([]);
  });

  it('when two workers hold 2 leases each and two more join with none, then each newcomer steals one until every worker holds one', () => {
    const start = [lease('s1', 'b'), lease('s2', 'b'), lease('s3', 'c'), lease('s4', 'c')];
    // d sees three workers (b, c and itself): its aim is 2, nobody holds more, yet it holds none.
    expect(keys(leasesToTake(start, new Set(), 'd'))).toEqual(['s1']);
    const next = [lease('s1', 'd'), lease('s2', 'b'), lease('s3', 'c'), lease('s4', 'c')];
    expect(keys(leasesToTake(next, new Set(), 'e'))).toEqual(['s3']);
    const balanced = [lease('s1', 'd'), lease('s2', 'b'), lease('s3', 'e'), lease('s4', 'c')];
    for (const worker of ['b', 'c', 'd', 'e']) expect(leasesToTake(balanced, new Set(), worker)).toEqual([]);
  });

  it("when shards have ended, then their leases are nobody's share", () => {
    const leases = [lease('s1', 'b', SHARD_END), lease('s2', 'b', SHARD_END), lease('s3', 'b'), lease('s4', null)];
    expect(keys(leasesToTake(leases, new Set(), 'a'))).toEqual(['s4']);
  });
});
