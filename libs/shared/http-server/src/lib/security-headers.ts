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
 * The queue dashboard (bull-board) is a page: its own scripts, styles (some inline, as its bundle
 * sets them), images and API calls from its own origin; the font it asks Google for may load; still
 * never framed.
 */
export const dashboardSecurityHeaders: Middleware = helmet({
  contentSecurityPolicy: {
    useDefaults: false,
    directives: {
      'default-src': ["'self'"],
      'script-src': ["'self'"],
      'style-src': ["'self'", "'unsafe-inline'", 'https://fonts.googleapis.com'],
      'font-src': ["'self'", 'data:', 'https://fonts.gstatic.com'],
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
