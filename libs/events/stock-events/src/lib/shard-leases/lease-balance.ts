import { SHARD_END, type ShardLease } from './shard-lease.table';

/**
 * Which leases a worker takes on one pass, the Kinesis Client Library's way: the open leases
 * (not at `SHARD_END`) are shared by the live workers (those owning a lease that is not expired,
 * and this one), each aiming at ceil(open / workers). Below its aim, a worker takes expired or
 * unowned leases first; when there are none, it steals one lease from the busiest worker, if that
 * one holds at least two more than it — one a pass, so workers converge without taking turns
 * forever (after a steal the two differ by less). Two more, not "more than the aim": a worker
 * joining 2 + 2 leases counts three workers, aims at 2, and would otherwise wait forever with none.
 */
export function leasesToTake(leases: ShardLease[], expired: ReadonlySet<string>, me: string): ShardLease[] {
  const open = leases.filter((lease) => lease.checkpoint !== SHARD_END);
  if (open.length === 0) return [];
  const live = (lease: ShardLease) => lease.leaseOwner !== null && !expired.has(lease.leaseKey);
  const held = new Map<string, ShardLease[]>([[me, []]]);
  for (const lease of open) if (live(lease)) held.set(lease.leaseOwner as string, [...(held.get(lease.leaseOwner as string) ?? []), lease]);
  const aim = Math.ceil(open.length / held.size);
  const mine = held.get(me)?.length ?? 0;
  const need = aim - mine;
  if (need <= 0) return [];
  const free = open.filter((lease) => !live(lease));
  if (free.length > 0) return free.slice(0, need);
  const [, busiest] = [...held].filter(([owner]) => owner !== me).sort(([, a], [, b]) => b.length - a.length)[0] ?? [];
  return busiest && busiest.length - mine >= 2 ? [busiest[0] as ShardLease] : [];
}
