import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { INVENTORY_METRICS, METRIC_NAMESPACE } from '@inventory/shared/observability';

interface Widget {
  type: string;
  x: number;
  width: number;
  properties: { metrics?: unknown[][] };
}

const dashboard = JSON.parse(readFileSync(join(__dirname, 'inventory-dashboard.json'), 'utf8')) as { widgets: Widget[] };
const metricRows = dashboard.widgets.flatMap((widget) => widget.properties.metrics ?? []).filter((row) => typeof row[0] === 'string');
const APPS = ['query-api', 'write-api', 'restock-worker', 'events-consumer'];

describe('CloudWatch dashboard', () => {
  it('when its metrics are read, then each is one the apps emit, in their namespace, with only the dimensions they send', () => {
    expect(metricRows.length).toBeGreaterThan(0);
    for (const row of metricRows) {
      const [namespace, name, ...rest] = row;
      const dimensions = rest.filter((part) => typeof part === 'string') as string[];
      expect(namespace).toBe(METRIC_NAMESPACE);
      expect(Object.keys(INVENTORY_METRICS)).toContain(name);
      expect(dimensions.filter((_, i) => i % 2 === 0)).toEqual(['Service', 'Environment']);
      expect(APPS).toContain(dimensions[1]);
    }
  });

  it('when laid out, then every metric the apps send is shown and widgets fit the 24-column grid', () => {
    expect(new Set(metricRows.map((row) => row[1]))).toEqual(new Set(Object.keys(INVENTORY_METRICS)));
    for (const widget of dashboard.widgets) expect(widget.x + widget.width).toBeLessThanOrEqual(24);
  });
});
