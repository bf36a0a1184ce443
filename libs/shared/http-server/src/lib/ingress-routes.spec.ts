import { routeFor } from './ingress-routes';

describe('ingress routes', () => {
  it.each([
    ['GET', '/inventory/store/store-1', 'query-api'],
    ['POST', '/inventory/update', 'write-api'],
    ['POST', '/stress/restock', 'write-api'],
    ['GET', '/stress/restock/abc', 'write-api'],
    ['GET', '/admin/queues', 'write-api'],
    ['PUT', '/inventory/store/store-1/sku/SKU-1/threshold', 'write-api'],
    ['GET', '/admin/webhooks', 'write-api'],
    ['DELETE', '/admin/webhooks/wh-1', 'write-api'],
    ['GET', '/openapi.json', 'query-api'],
    ['GET', '/health', 'query-api'],
    ['GET', '/metrics', 'internal'],
    ['GET', '/nowhere', 'query-api'],
  ])('when %s %s arrives, then it goes to %s', (method, path, backend) => {
    expect(routeFor(method, path)).toBe(backend);
  });
});
