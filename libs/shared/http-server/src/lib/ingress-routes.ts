/** The apps behind the one ingress. */
export type Backend = 'query-api' | 'write-api';

export interface IngressRoute {
  pathPrefix: string;
  /** Unset: any method. */
  methods?: string[];
  backend: Backend;
}

/**
 * How the Kubernetes Ingress splits traffic, first match wins: reads to query-api; writes (POST,
 * and PUT of a threshold), the storm and the operator pages (`/admin/…`: queue dashboard, webhooks)
 * to write-api; the rest (`/health`, `/openapi.json`, unknown paths) to query-api.
 */
export const INGRESS_ROUTES: IngressRoute[] = [
  { pathPrefix: '/inventory/', methods: ['POST', 'PUT'], backend: 'write-api' },
  { pathPrefix: '/inventory/', backend: 'query-api' },
  { pathPrefix: '/stress/', backend: 'write-api' },
  { pathPrefix: '/admin/', backend: 'write-api' },
  { pathPrefix: '/', backend: 'query-api' },
];

/** Probe and scrape endpoints: reached inside the cluster only; the Ingress answers 404 for them. */
export const INTERNAL_PATHS = ['/ready', '/metrics'];

export function routeFor(method: string, path: string): Backend | 'internal' {
  if (INTERNAL_PATHS.includes(path)) return 'internal';
  const route = INGRESS_ROUTES.find(
    (candidate) => path.startsWith(candidate.pathPrefix) && (!candidate.methods || candidate.methods.includes(method)),
  );
  return route?.backend ?? 'query-api';
}
