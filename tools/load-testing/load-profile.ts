import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export type ScenarioName = 'hot_reads' | 'cold_reads' | 'updates';
export const SCENARIOS: ScenarioName[] = ['hot_reads', 'cold_reads', 'updates'];

/** load-profile.json: the mix and thresholds the k6 scenario and the local runner share. */
export interface LoadProfile {
  duration_seconds: number;
  stores: number;
  hot_stores: number;
  skus_per_store: number;
  rates_per_second: Record<ScenarioName, number>;
  storm: { at_seconds: number; duration_seconds: number; target_cpu: number };
  thresholds: Record<ScenarioName, { p95_ms: number; max_error_rate: number }>;
}

export function readLoadProfile(): LoadProfile {
  return JSON.parse(readFileSync(join(__dirname, 'load-profile.json'), 'utf8')) as LoadProfile;
}
