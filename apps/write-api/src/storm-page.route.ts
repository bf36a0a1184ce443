import type { Router } from 'express';
import type { AccessControl } from '@inventory/service/access';
import { dashboardSecurityHeaders, methodNotAllowed } from '@inventory/shared/http-server';
import type { StormRecords, StormTimeline } from '@inventory/restock/storm';
import { STORM_PAGE_HTML, STORM_PAGE_SCRIPT, STORM_PAGE_STYLE, UPLOT } from './storm-page.assets';

export const STORM_PAGE_PATH = '/admin/storms';
/** Storms the page shows: the running one and the last few. */
const SHOWN = 5;

/**
 * `/admin/storms` (operator): the running and recent storms, their progress, SKUs per second and
 * the workers' CPU against `target_cpu` over time; the page refreshes itself while a storm runs.
 * Its data is `GET /admin/storms/data`; its chart library is served from here.
 */
export function mountStormPage(router: Router, access: AccessControl, records: StormRecords, timeline: StormTimeline): void {
  const viewer = access.guard('get', STORM_PAGE_PATH);
  router
    .route(STORM_PAGE_PATH)
    .get(dashboardSecurityHeaders, viewer, (_req, res) => void res.type('html').send(STORM_PAGE_HTML))
    .all(methodNotAllowed('GET'));
  // The page's own files, as the dashboard's: one mount, not routes of the API.
  const assets = new Map<string, [string, string | Buffer]>([
    ['/uPlot.iife.min.js', ['js', UPLOT.script]],
    ['/uPlot.min.css', ['css', UPLOT.style]],
    ['/storm-page.js', ['js', STORM_PAGE_SCRIPT]],
    ['/storm-page.css', ['css', STORM_PAGE_STYLE]],
  ]);
  router.use(`${STORM_PAGE_PATH}/assets`, viewer, (req, res, next) => {
    const asset = req.method === 'GET' ? assets.get(req.path) : undefined;
    if (!asset) return next();
    res.type(asset[0]).set('cache-control', 'private, max-age=300').send(asset[1]);
  });
  router
    .route(`${STORM_PAGE_PATH}/data`)
    .get(access.guard('get', `${STORM_PAGE_PATH}/data`), async (_req, res) => {
      const storms = await records.recent(SHOWN);
      res.json({ storms: await Promise.all(storms.map(async (record) => ({ record, moments: await timeline.moments(record.storm_id) }))) });
    })
    .all(methodNotAllowed('GET'));
}
