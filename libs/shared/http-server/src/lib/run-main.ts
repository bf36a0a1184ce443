/** Runs an app's `main`; a start-up failure (bad config, say) is printed plainly and exits 1. */
export function runMain(app: string, main: () => Promise<unknown>): void {
  main().catch((error: unknown) => {
    process.stderr.write(`${app} failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
}
