import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Express, RequestHandler } from 'express';
import { methodNotAllowed } from './routing';
import { referenceSecurityHeaders } from './security-headers';

const PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Inventory Platform API</title>
</head>
<body>
<div id="app"></div>
<script src="/docs/api-reference.js"></script>
<script src="/docs/init.js"></script>
</body>
</html>
`;

/** Scalar reads the document from this origin; no fonts, proxies or telemetry from elsewhere. */
const INIT = `Scalar.createApiReference('#app', {
  url: '/openapi.json',
  withDefaultFonts: false,
  hideClientButton: true,
  telemetry: false,
});
`;

let scalarBundle: Buffer | undefined;

/**
 * Scalar's standalone bundle: in an image, beside main.js (tools/images/app.Dockerfile copies that
 * one file, not the dev dependency's packages: sizes in tools/benchmarks/README.md); elsewhere, from the package.
 */
function scalarBundlePath(): string {
  const built = join(__dirname, 'standalone.js');
  return existsSync(built) ? built : join(dirname(require.resolve('@scalar/api-reference')), 'browser', 'standalone.js');
}

/** A fixed asset of the page, behind the page's own security headers. */
const asset =
  (type: string, body: () => string | Buffer): RequestHandler =>
  (req, res, next) =>
    referenceSecurityHeaders(req, res, (error?: unknown) => {
      if (error !== undefined) return next(error);
      res.set('Cache-Control', 'public, max-age=300');
      res.type(type).send(body());
    });

/**
 * `GET /docs`: the API reference, rendered from `/openapi.json` by Scalar (a kept renderer, served
 * from the app itself: no CDN). Its bundle is read on the first request, then kept.
 */
export function serveApiReference(app: Express): void {
  app
    .route('/docs')
    .get(asset('html', () => PAGE))
    .all(methodNotAllowed('GET'));
  app
    .route('/docs/init.js')
    .get(asset('js', () => INIT))
    .all(methodNotAllowed('GET'));
  app
    .route('/docs/api-reference.js')
    .get(asset('js', () => (scalarBundle ??= readFileSync(scalarBundlePath()))))
    .all(methodNotAllowed('GET'));
}
