import { startHttpServer } from '@inventory/shared/http-server';
import { createLogger, Metrics } from '@inventory/shared/observability';
import { createApp } from './app';

describe('restock-worker probes', () => {
  it('when probed, then /health is the contract shape naming the worker, /ready and /metrics are served on the management port, and no other route exists', async () => {
    const logger = createLogger({ app: 'test', level: 'silent' });
    const app = createApp({
      logger,
      metrics: new Metrics({ app: 'restock-worker', environment: 'test', enabled: true, logger }),
      readinessChecks: [],
    });
    const server = await startHttpServer(app, 0, '127.0.0.1');
    const management = await startHttpServer(app.management, 0, '127.0.0.1');
    try {
      const health = await fetch(`http://127.0.0.1:${server.port}/health`);
      expect(await health.json()).toMatchObject({ status: 'healthy', service: 'inventory-service', app: 'restock-worker' });
      expect((await fetch(`http://127.0.0.1:${server.port}/inventory/store/x`)).status).toBe(404);
      expect((await fetch(`http://127.0.0.1:${management.port}/ready`)).status).toBe(200);
      const metrics = await fetch(`http://127.0.0.1:${management.port}/metrics`);
      expect(await metrics.text()).toMatch(/^inventory_restock_iterations_total\{app="restock-worker"\} 0$/m);
    } finally {
      await server.stop();
      await management.stop();
    }
  });
});
