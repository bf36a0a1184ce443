import helmet from 'helmet';
import type { Middleware } from './middleware';

const ONE_YEAR_SECONDS = 31_536_000;

/**
 * Every answer's security headers. The APIs answer JSON that no browser should render, frame or
 * run anything from: a CSP of `default-src 'none'`, no framing, no referrer, HTTPS only (the ALB
 * terminates TLS, so HSTS is ours to send), nosniff.
 */
export const apiSecurityHeaders: Middleware = helmet({
  contentSecurityPolicy: { useDefaults: false, directives: { 'default-src': ["'none'"], 'frame-ancestors': ["'none'"] } },
  frameguard: { action: 'deny' },
  referrerPolicy: { policy: 'no-referrer' },
  strictTransportSecurity: { maxAge: ONE_YEAR_SECONDS, includeSubDomains: true },
}) as Middleware;

/**
 * A page's headers: its own scripts, styles (some inline, as the bundles set them), images and API
 * calls from its own origin, plus the font hosts it may load from; never framed.
 */
function pageSecurityHeaders(fontHosts: { styles: string[]; fonts: string[] }): Middleware {
  return helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        'default-src': ["'self'"],
        'script-src': ["'self'"],
        'style-src': ["'self'", "'unsafe-inline'", ...fontHosts.styles],
        'font-src': ["'self'", 'data:', ...fontHosts.fonts],
        'img-src': ["'self'", 'data:'],
        'connect-src': ["'self'"],
        'object-src': ["'none'"],
        'base-uri': ["'self'"],
        'form-action': ["'self'"],
        'frame-ancestors': ["'none'"],
      },
    },
    frameguard: { action: 'deny' },
    referrerPolicy: { policy: 'same-origin' },
    strictTransportSecurity: { maxAge: ONE_YEAR_SECONDS, includeSubDomains: true },
  }) as Middleware;
}

/** The queue dashboard (bull-board) and the storm page: the font bull-board asks Google for may load. */
export const dashboardSecurityHeaders = pageSecurityHeaders({
  styles: ['https://fonts.googleapis.com'],
  fonts: ['https://fonts.gstatic.com'],
});

/** The API reference (Scalar): nothing from elsewhere at all. */
export const referenceSecurityHeaders = pageSecurityHeaders({ styles: [], fonts: [] });
