import { Agent, createServer, type Server } from 'node:http';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import httpProxy from 'http-proxy';
import { type Backend, routeFor } from '@inventory/shared/http-server';

/** The local stand-in for the Kubernetes Ingress: one port, paths routed as the Ingress routes them. */
export async function startGateway(port: number, backends: Record<Backend, string>): Promise<{ server: Server; port: number }> {
  // Kept-alive backend connections, as the load balancer keeps them: a new TCP connection per request
  // would make the gateway, not the apps, what load tests measure.
  const proxy = httpProxy.createProxyServer({ xfwd: true, agent: new Agent({ keepAlive: true, maxSockets: 256 }) });
  // Repeated header lines stay separate lines, as an ingress passes them: Node would join them with
  // commas, and a browser reads only the first challenge of a joined WWW-Authenticate.
  proxy.on('proxyRes', (proxyRes) => {
    for (const [name, values] of Object.entries(proxyRes.headersDistinct)) if (values && values.length > 1) proxyRes.headers[name] = values;
  });
  proxy.on('error', (error, _req, res) => {
    if ('writeHead' in res && !res.headersSent) {
      res.writeHead(502, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { code: 'BAD_GATEWAY', message: `backend unavailable: ${error.message}` } }));
    }
  });
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://gateway').pathname;
    const backend = routeFor(req.method ?? 'GET', path);
    if (backend === 'internal') {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { code: 'NOT_FOUND', message: `${path} is not served through the ingress` } }));
      return;
    }
    proxy.web(req, res, { target: backends[backend] });
  });
  server.listen(port, '127.0.0.1');
  await once(server, 'listening');
  return { server, port: (server.address() as AddressInfo).port };
}
