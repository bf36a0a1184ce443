import type { StandardUnit } from '@aws-sdk/client-cloudwatch';

/** The original Go service's CloudWatch namespace; dashboards and alarms depend on it. */
export const METRIC_NAMESPACE = 'CloudCafe/Inventory';

interface MetricDefinition {
  kind: 'count' | 'timing' | 'gauge';
  /** CloudWatch unit of the recorded value. */
  unit: StandardUnit;
  /** Prometheus name; timings in milliseconds are exported in seconds, as Prometheus expects. */
  prometheusName: string;
  help: string;
  labelNames?: readonly string[];
}

/**
 * The nine metrics of the original service, under their original names, and the rate limits' two. Labels reach Prometheus
 * only: CloudWatch gets the app and environment dimensions and nothing else, since every distinct
 * dimension combination is a separately billed metric.
 */
export const INVENTORY_METRICS = {
  QueryDuration: {
    kind: 'timing',
    unit: 'Milliseconds',
    prometheusName: 'inventory_query_duration_seconds',
    help: 'Time to produce a store answer (cache or DynamoDB), excluding sending it',
  },
  CacheHit: { kind: 'count', unit: 'Count', prometheusName: 'inventory_cache_hits_total', help: 'Store reads answered from a cache' },
  CacheMiss: {
    kind: 'count',
    unit: 'Count',
    prometheusName: 'inventory_cache_misses_total',
    help: 'Store reads that had to query DynamoDB (including while Redis was unreachable)',
  },
  QueryError: { kind: 'count', unit: 'Count', prometheusName: 'inventory_query_errors_total', help: 'Store reads that failed on our side' },
  InventoryUpdated: { kind: 'count', unit: 'Count', prometheusName: 'inventory_updates_total', help: 'Stock updates stored' },
  ReservationsHeld: {
    kind: 'count',
    unit: 'Count',
    prometheusName: 'inventory_reservations_held_total',
    help: 'Reservations created (units held)',
  },
  ReservationsExpired: {
    kind: 'count',
    unit: 'Count',
    prometheusName: 'inventory_reservations_expired_total',
    help: 'Reservations released by their expiry',
  },
  UpdateError: {
    kind: 'count',
    unit: 'Count',
    prometheusName: 'inventory_update_errors_total',
    help: 'Stock updates that failed on our side',
  },
  RestockCPU: {
    kind: 'gauge',
    unit: 'Percent',
    prometheusName: 'inventory_restock_cpu_percent',
    help: 'CPU the restock worker actually used, as a percentage of its allowance',
  },
  EventsLagSeconds: {
    kind: 'gauge',
    unit: 'Seconds',
    prometheusName: 'inventory_events_lag_seconds',
    help: 'Iterator age: now minus when the oldest stream record not yet handled was written, worst shard this pod reads (0 when caught up, or holding none)',
  },
  EventsCheckpointTrimmed: {
    kind: 'count',
    unit: 'Count',
    prometheusName: 'inventory_events_checkpoint_trimmed_total',
    help: 'Shard checkpoints found older than the stream keeps (24 h): the records it dropped in between are replayed from the movements table',
  },
  EventsGapMovementsReplayed: {
    kind: 'count',
    unit: 'Count',
    prometheusName: 'inventory_events_gap_movements_replayed_total',
    help: 'Movements of a retention gap replayed from the movements table (records the stream dropped)',
  },
  RestockIterations: {
    kind: 'count',
    unit: 'Count',
    prometheusName: 'inventory_restock_iterations_total',
    help: 'SKUs checked against the warehouse manifest',
  },
  RestockChangesKept: {
    kind: 'count',
    unit: 'Count',
    prometheusName: 'inventory_restock_changes_kept_total',
    help: 'SKUs a storm wrote over a live change and then put back (the change kept)',
  },
  RestockCompleted: {
    kind: 'count',
    unit: 'Count',
    prometheusName: 'inventory_restock_completed_total',
    help: 'Storms that ended, by outcome (completed, stopped at the deadline, failed)',
    labelNames: ['outcome'],
  },
  RateLimited: {
    kind: 'count',
    unit: 'Count',
    prometheusName: 'inventory_rate_limited_total',
    help: 'Requests refused with 429, by limit',
    labelNames: ['limit'],
  },
  RateLimitFailOpen: {
    kind: 'count',
    unit: 'Count',
    prometheusName: 'inventory_rate_limit_fail_open_total',
    help: 'Requests let through unchecked because Redis could not count them, by limit',
    labelNames: ['limit'],
  },
  StockEvents: {
    kind: 'count',
    unit: 'Count',
    prometheusName: 'inventory_stock_events_total',
    help: 'Events made from the table stream, by type',
    labelNames: ['type'],
  },
  WebhookDelivered: {
    kind: 'count',
    unit: 'Count',
    prometheusName: 'inventory_webhook_delivered_total',
    help: 'Webhook deliveries a receiver took (2xx)',
  },
  WebhookDeadLettered: {
    kind: 'count',
    unit: 'Count',
    prometheusName: 'inventory_webhook_dead_lettered_total',
    help: 'Webhook deliveries given up after their retry window',
  },
} as const satisfies Record<string, MetricDefinition>;

export type InventoryMetric = keyof typeof INVENTORY_METRICS;
type MetricOfKind<K extends MetricDefinition['kind']> = {
  [M in InventoryMetric]: (typeof INVENTORY_METRICS)[M]['kind'] extends K ? M : never;
}[InventoryMetric];
export type CountMetric = MetricOfKind<'count'>;
export type TimingMetric = MetricOfKind<'timing'>;
export type GaugeMetric = MetricOfKind<'gauge'>;
