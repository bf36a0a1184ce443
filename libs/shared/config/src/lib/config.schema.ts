import { z } from 'zod';

const wholeNumber = (min: number, max: number) =>
  z.coerce
    .number({ error: `must be a whole number from ${min} to ${max}` })
    .int(`must be a whole number from ${min} to ${max}`)
    .min(min, `must be a whole number from ${min} to ${max}`)
    .max(max, `must be a whole number from ${min} to ${max}`);
const port = (fallback: number) => wholeNumber(0, 65535).default(fallback);
const positiveInt = (fallback: number) => wholeNumber(1, 2 ** 31 - 1).default(fallback);
const optionalUrl = z.url({ protocol: /^https?$/ }).optional();
const flag = (fallback: boolean) => z.stringbool({ error: 'must be true or false' }).default(fallback);

/**
 * Every environment variable the platform reads. The first four are the original Go service's
 * contract; the rest have defaults that run the platform locally with nothing set.
 */
export const configSchema = z
  .object({
    PORT: port(8080),
    /**
     * `/health`, `/ready` and `/metrics` for the kubelet, the load balancer's health check and
     * Prometheus: a port the Ingress does not route to (the API port serves `/health` only).
     */
    MANAGEMENT_PORT: port(9090),
    AWS_REGION: z
      .string()
      .regex(/^[a-z]{2}(-[a-z]+)+-\d+$/, 'must be an AWS region such as us-east-1')
      .default('us-east-1'),
    DYNAMODB_TABLE: z
      .string()
      .regex(/^[A-Za-z0-9_.-]{3,255}$/, 'must be 3-255 characters of letters, digits, "_", "-" or "."')
      .default('cloudcafe-store-inventory-dev'),
    /** MemoryDB cluster endpoint (`rediss://host:port`, `redis://host:port` or bare `host:port`, which means TLS). */
    MEMORYDB_ENDPOINT: z
      .string()
      .regex(/^((rediss?):\/\/)?[A-Za-z0-9.-]+(:\d{1,5})?$/, 'must be host:port or a redis:// / rediss:// URL')
      .optional(),
    /** `cluster` for MemoryDB/ElastiCache cluster mode; defaults to cluster when MEMORYDB_ENDPOINT is set. */
    MEMORYDB_MODE: z.enum(['cluster', 'standalone']).optional(),
    /**
     * The ACL user every Redis connection authenticates as (MemoryDB requires ACL users; the counters,
     * cache, queues, limits and KEDA's trigger all use it), from a Secret. Set both or neither.
     */
    REDIS_USERNAME: z
      .string()
      .regex(/^[A-Za-z0-9_.-]{1,64}$/, 'must be 1-64 characters of letters, digits, "_", "-" or "."')
      .optional(),
    REDIS_PASSWORD: z.string().min(16, 'must be at least 16 characters').max(128, 'must be at most 128 characters').optional(),
    /** Used when MEMORYDB_ENDPOINT is unset: a local Redis. */
    REDIS_URL: z.url({ protocol: /^rediss?$/ }).default('redis://127.0.0.1:6379'),
    /** Every Redis key starts with this, so environments and tests can share one server. */
    REDIS_KEY_PREFIX: z
      .string()
      .regex(/^[A-Za-z0-9_.-]{1,64}$/, 'must be 1-64 characters of letters, digits, "_", "-" or "."')
      .default('inv'),
    /** Local override (DynamoDB Local). Unset in AWS. */
    DYNAMODB_ENDPOINT: optionalUrl,
    /** Deadline of one DynamoDB call, retries included: past it the request answers 503 DYNAMODB_UNAVAILABLE. */
    DYNAMODB_TIMEOUT_MS: wholeNumber(100, 60_000).default(3_000),
    /** Attempts per DynamoDB call (throttling and network failures are retried with backoff within the deadline). */
    DYNAMODB_MAX_ATTEMPTS: wholeNumber(1, 10).default(3),
    /**
     * How long a keyed write's in-flight mark outlives a process that died holding it: meanwhile a
     * repeat answers 409 IDEMPOTENCY_KEY_IN_USE. Only a courtesy (the key record makes a key apply once).
     */
    IDEMPOTENCY_IN_FLIGHT_MS: wholeNumber(1_000, 600_000).default(10_000),
    /** Backstop lifetime of a cached store answer; versioned keys make it stale-proof already. */
    CACHE_TTL_SECONDS: positiveInt(300),
    /** Per-process cache of compressed answers in front of Redis. */
    LOCAL_CACHE_MB: wholeNumber(0, 4096).default(64),
    /**
     * SKUs each store's change log keeps for delta reads (`?since_version=`): a delta from further
     * back answers 410 and the caller re-reads the store. Bounds Redis memory (~60 B a SKU a store).
     */
    DELTA_LOG_MAX_SKUS: wholeNumber(1, 100_000).default(500),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    /** How long SIGTERM waits for in-flight work before closing connections. */
    SHUTDOWN_GRACE_MS: positiveInt(10_000),
    /**
     * The OpenID provider whose access tokens the APIs accept (in AWS the Cognito user pool's issuer,
     * `https://cognito-idp.<region>.amazonaws.com/<pool id>`); unset: only API keys. Set with
     * OIDC_JWKS_URL.
     */
    OIDC_ISSUER: optionalUrl,
    /**
     * The `aud` tokens must carry: this platform's resource server. Cognito's access tokens carry
     * none (their `inventory/…` scopes name the resource server): leave it unset there.
     */
    OIDC_AUDIENCE: z.string().min(1).max(256).optional(),
    /** Where the issuer publishes its signing keys (Cognito: `<issuer>/.well-known/jwks.json`). */
    OIDC_JWKS_URL: optionalUrl,
    /** How far `exp` and `nbf` may be off this pod's clock. */
    OIDC_CLOCK_SKEW_SECONDS: wholeNumber(0, 300).default(30),
    /**
     * The least time between two fetches of the issuer's keys: a token signed by a key not yet known
     * fetches them again (a rotation is picked up without a restart), never more often than this.
     */
    OIDC_JWKS_COOLDOWN_MS: wholeNumber(100, 3_600_000).default(30_000),
    /** A token's role is its scope `<prefix><role>` (Cognito resource-server scopes: `inventory/till`). */
    OIDC_ROLE_SCOPE_PREFIX: z.string().min(1).max(64).default('inventory/'),
    /** The claim listing a token's stores (an array of store ids, or "*" for every store). */
    OIDC_STORES_CLAIM: z.string().min(1).max(64).default('inventory_stores'),
    /** Lets callers without a credential read store and SKU quantities (web pages); never movements or admin routes. */
    PUBLIC_STOCK_READS: flag(false),
    /**
     * Local only: this exact string (32+ visible characters) is an admin key for every store, so
     * scripts run against the local stack can authenticate without reading its output.
     */
    LOCAL_ADMIN_KEY: z
      .string()
      .regex(/^[!-~]{32,256}$/, 'must be 32-256 visible ASCII characters')
      .optional(),
    /** `off` (local only, for benchmarks' baselines): every caller is an admin of every store. */
    AUTHENTICATION: z.enum(['required', 'off']).default('required'),
    /** Stock writes one client may send per minute, counted across pods in Redis; 0 turns the limit off. */
    RATE_LIMIT_WRITES_PER_MINUTE: wholeNumber(0, 10_000_000).default(6_000),
    /** Wrong credentials one source may present per 15 minutes before it gets 429; 0 turns the limit off. */
    RATE_LIMIT_CREDENTIAL_FAILURES: wholeNumber(0, 10_000).default(10),
    /** Proxies in front of the apps that append to X-Forwarded-For (the ALB: 1); the client is the address the nearest saw. */
    TRUSTED_PROXY_HOPS: wholeNumber(0, 5).default(0),
    /** BullMQ key prefix; the braces are a hash tag, so the queue's keys share one cluster slot. */
    RESTOCK_QUEUE_PREFIX: z
      .string()
      .regex(/^\{[A-Za-z0-9_.-]{1,64}\}$/, 'must be a hash tag such as {restock}')
      .default('{restock}'),
    /**
     * Stores a restock-worker process works on at once. Each job has one DynamoDB request in flight, so
     * jobs mostly wait: one core checks SKUs far faster than one job's sequential batch writes move
     * them (the figures are in tools/benchmarks/README.md).
     */
    RESTOCK_CONCURRENCY: wholeNumber(1, 64).default(8),
    /** A job whose worker stopped heartbeating this long (killed pod) is handed to another worker. */
    RESTOCK_LOCK_MS: wholeNumber(1000, 600_000).default(30_000),
    /**
     * Write units a second a storm job may spend on one store. A store's items share a partition,
     * and one DynamoDB partition takes about 1,000 WCU a second: the default leaves a fifth for the
     * tills writing to that store meanwhile.
     */
    RESTOCK_STORE_WCU_PER_SECOND: wholeNumber(1, 100_000).default(800),
    /** CPU the worker may use, in cores; unset: the cgroup limit, else the machine's cores. */
    RESTOCK_CPU_CORES: z.coerce
      .number({ error: 'must be a number of cores' })
      .positive('must be a positive number of cores')
      .max(256, 'must be at most 256')
      .optional(),
    /**
     * What a restock-worker process does: `restock` works the storm queue; `events` reads the
     * inventory table's stream into movements, counters, events and webhook deliveries (apps/README.md#events-and-webhooks).
     */
    WORKER_ROLE: z.enum(['restock', 'events']).default('restock'),
    /** How long the events consumer waits after a pass over the stream that brought nothing. */
    EVENTS_IDLE_MS: wholeNumber(50, 60_000).default(500),
    /** A shard lease's failover time: a lease not renewed this long is another pod's to take (libs/events/README.md#shard-leases). */
    EVENTS_LEASE_MS: wholeNumber(1_000, 600_000).default(15_000),
    /** Webhook deliveries one events process makes at once; one receiver gets at most a quarter. */
    WEBHOOK_CONCURRENCY: wholeNumber(1, 512).default(32),
    /** How long a receiver may take to answer one delivery. */
    WEBHOOK_TIMEOUT_MS: wholeNumber(100, 120_000).default(10_000),
    /** First retry delay of a failed delivery; each next one doubles. */
    WEBHOOK_BACKOFF_MS: wholeNumber(10, 3_600_000).default(1_000),
    /** How long a failing delivery is retried before it is dead-lettered (24 h, apps/README.md#events-and-webhooks). */
    WEBHOOK_RETRY_FOR_SECONDS: wholeNumber(1, 7 * 24 * 3600).default(24 * 3600),
    /**
     * Seals webhook secrets at rest (AES-256-GCM): 32 bytes, base64, from a Secret (in AWS a KMS data
     * key). Required outside APP_ENV=local, where a fixed development key stands in.
     */
    WEBHOOK_SECRET_KEY: z
      .string()
      .regex(/^[A-Za-z0-9+/]{43}=$/, 'must be 32 bytes, base64 (openssl rand -base64 32)')
      .optional(),
    /** Lets webhooks aim at loopback and private addresses: for local receivers only, never in AWS. */
    WEBHOOK_ALLOW_PRIVATE_TARGETS: flag(false),
    /** Request metrics (Prometheus `/metrics`, and CloudWatch when enabled); false leaves the process metrics only. */
    METRICS_ENABLED: flag(true),
    /** Sends the CloudWatch custom metrics of namespace CloudCafe/Inventory; off locally. */
    CLOUDWATCH_METRICS_ENABLED: flag(false),
    /** Local override of the CloudWatch API endpoint. Unset in AWS. */
    CLOUDWATCH_ENDPOINT: optionalUrl,
    /** Mean time between CloudWatch flushes (jittered ±10%). */
    METRICS_FLUSH_SECONDS: wholeNumber(1, 3600).default(60),
    APP_ENV: z
      .string()
      .regex(/^[a-z0-9-]{1,32}$/, 'must be lower-case letters, digits or "-"')
      .default('local'),
  })
  .superRefine((config, context) => {
    if ((config.REDIS_USERNAME === undefined) !== (config.REDIS_PASSWORD === undefined))
      context.addIssue({
        code: 'custom',
        path: [config.REDIS_USERNAME === undefined ? 'REDIS_USERNAME' : 'REDIS_PASSWORD'],
        message: 'is required with REDIS_USERNAME and REDIS_PASSWORD: set both or neither',
      });
    if (config.APP_ENV !== 'local' && config.WEBHOOK_SECRET_KEY === undefined)
      context.addIssue({ code: 'custom', path: ['WEBHOOK_SECRET_KEY'], message: 'is required when APP_ENV is not local' });
    if (config.APP_ENV !== 'local' && config.LOCAL_ADMIN_KEY !== undefined)
      context.addIssue({ code: 'custom', path: ['LOCAL_ADMIN_KEY'], message: 'is refused when APP_ENV is not local' });
    if (config.APP_ENV !== 'local' && config.AUTHENTICATION === 'off')
      context.addIssue({ code: 'custom', path: ['AUTHENTICATION'], message: 'may be off only when APP_ENV is local' });
    if ((config.OIDC_ISSUER === undefined) !== (config.OIDC_JWKS_URL === undefined))
      context.addIssue({
        code: 'custom',
        path: [config.OIDC_ISSUER === undefined ? 'OIDC_ISSUER' : 'OIDC_JWKS_URL'],
        message: 'is required with OIDC_ISSUER and OIDC_JWKS_URL: set both or neither',
      });
    if (config.OIDC_AUDIENCE !== undefined && config.OIDC_ISSUER === undefined)
      context.addIssue({ code: 'custom', path: ['OIDC_AUDIENCE'], message: 'needs OIDC_ISSUER' });
  });

export type Config = z.infer<typeof configSchema>;
