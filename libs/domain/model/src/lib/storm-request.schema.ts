import { z } from 'zod';

const whole = (field: string, min: number, max: number) =>
  z
    .number({ error: `${field} must be a number` })
    .int(`${field} must be a whole number`)
    .min(min, `${field} must be from ${min} to ${max}`)
    .max(max, `${field} must be from ${min} to ${max}`);

export const MAX_STORES = 100_000;
export const MAX_SKUS_PER_STORE = 20_000;
/** A storm's longest run: its movements, dated at its count, are written up to this long after. */
export const MAX_STORM_SECONDS = 3600;

/** `POST /stress/restock`: every field optional; the original's two plus knobs for smaller runs. */
export const stormRequestSchema = z.object(
  {
    duration_seconds: whole('duration_seconds', 1, MAX_STORM_SECONDS).default(180),
    target_cpu: whole('target_cpu', 1, 100).default(80),
    stores: whole('stores', 1, MAX_STORES).default(30_000),
    skus_per_store: whole('skus_per_store', 1, MAX_SKUS_PER_STORE).default(5_000),
    /** Same seed, same manifests: a second storm with it finds nothing to change. Default: a new one. */
    manifest_seed: whole('manifest_seed', 0, 2 ** 31 - 1).optional(),
    change_ratio: z
      .number({ error: 'change_ratio must be a number' })
      .min(0, 'change_ratio must be from 0 to 1')
      .max(1, 'change_ratio must be from 0 to 1')
      .default(0.2),
  },
  { error: 'request body must be a JSON object' },
);

export type StormRequest = z.infer<typeof stormRequestSchema>;
