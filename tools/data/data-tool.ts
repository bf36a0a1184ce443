import { parseArgs, type ParseArgsConfig } from 'node:util';
import { SingleBar } from 'cli-progress';
import { loadConfig } from '@inventory/shared/config';
import { createInventoryBackends, type InventoryBackends } from '@inventory/service/bootstrap';
import { waitUntilReady } from '@inventory/shared/redis';

/**
 * What every data tool shares: options parsed strictly (an unknown or malformed one stops the tool
 * naming it), the platform's own configuration from the environment (DYNAMODB_*, REDIS_URL or
 * MEMORYDB_ENDPOINT, REDIS_KEY_PREFIX), its clients, a JSON report on stdout, and exit codes:
 * 0 done, 1 failed, 2 drift found and left (reconcile without --repair).
 */
export async function runDataTool<O extends NonNullable<ParseArgsConfig['options']>>(
  name: string,
  options: O,
  run: (
    args: ReturnType<typeof parseArgs<{ options: O }>>['values'],
    backends: InventoryBackends,
    config: ReturnType<typeof loadConfig>,
  ) => Promise<{ report: unknown; exitCode?: number }>,
): Promise<void> {
  let backends: InventoryBackends | undefined;
  try {
    const { values } = parseArgs({ options, strict: true, allowPositionals: false });
    const config = loadConfig(process.env);
    backends = createInventoryBackends(config, `inventory-${name}`);
    await waitUntilReady(backends.redis);
    const { report, exitCode = 0 } = await run(values, backends, config);
    process.stdout.write(`${JSON.stringify(report)}\n`);
    process.exitCode = exitCode;
  } catch (error) {
    process.stderr.write(`${name}: ${describeError(error)}\n`);
    process.exitCode = 1;
  } finally {
    await backends?.close();
  }
}

/** An error as an operator needs it: for AWS errors, the service's error name and HTTP status too. */
function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  const cause = error.cause instanceof Error ? ` (${describeError(error.cause)})` : '';
  return `${status ? `${error.name}, HTTP ${status}: ` : ''}${error.message}${cause}`;
}

/** A whole number option of at least `min`, or a message naming the option. */
export function wholeNumberOption(name: string, value: string | undefined, fallback: number, min = 1): number {
  if (value === undefined) return fallback;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < min) throw new Error(`--${name} must be a whole number of at least ${min}, not "${value}"`);
  return parsed;
}

/** A progress bar on stderr when it is a terminal (silent otherwise, e.g. in CI logs). */
export function progressBar(label: string, total: number): SingleBar {
  const bar = new SingleBar({
    format: `${label} [{bar}] {percentage}% | {value}/{total} | {rate}/s | ETA {eta_formatted}`,
    stream: process.stderr,
    etaBuffer: 50,
  });
  bar.start(total, 0, { rate: 0 });
  return bar;
}
