import { readFileSync } from 'node:fs';

/** uPlot (a small chart library, from npm: no CDN), served from the app itself. */
export const UPLOT = {
  script: readFileSync(require.resolve('uplot/dist/uPlot.iife.min.js')),
  style: readFileSync(require.resolve('uplot/dist/uPlot.min.css')),
};

export const STORM_PAGE_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Restock storms</title>
<link rel="stylesheet" href="/admin/storms/assets/uPlot.min.css">
<link rel="stylesheet" href="/admin/storms/assets/storm-page.css">
</head>
<body>
<h1>Restock storms</h1>
<p id="status">loading…</p>
<div id="storms"></div>
<script src="/admin/storms/assets/uPlot.iife.min.js"></script>
<script src="/admin/storms/assets/storm-page.js"></script>
</body>
</html>
`;

export const STORM_PAGE_STYLE = `
body { font: 14px system-ui, sans-serif; margin: 24px; color: #1d2733; }
h1 { font-size: 20px; margin: 0 0 8px; }
section { border: 1px solid #d5dbe3; border-radius: 6px; padding: 12px 16px; margin: 16px 0; }
section h2 { font-size: 16px; margin: 0 0 4px; }
.summary { margin: 0 0 8px; color: #44505e; }
.charts { display: flex; flex-wrap: wrap; gap: 12px; }
.state-running { color: #0b6bcb; } .state-completed { color: #1a7f37; } .state-stopped, .state-failed { color: #b42318; }
`;

/**
 * The page's script: asks /admin/storms/data for the running and recent storms, draws each one's
 * progress, SKUs per second and workers' CPU against its target with uPlot, and asks again every
 * 2 s while a storm runs (every 10 s otherwise).
 */
export const STORM_PAGE_SCRIPT = `(() => {
  const list = document.getElementById('storms');
  const status = document.getElementById('status');
  const charts = new Map();
  const perSecond = (moments, field) =>
    moments.map((m, i) => (i === 0 || m.t === moments[i - 1].t ? null : (m[field] - moments[i - 1][field]) / (m.t - moments[i - 1].t)));

  function chart(key, parent, title, series, data) {
    const existing = charts.get(key);
    if (existing) return existing.setData(data);
    const opts = { title, width: 420, height: 200, scales: { x: { time: false } }, axes: [{ label: 'seconds' }, {}], series: [{ label: 't' }, ...series] };
    charts.set(key, new uPlot(opts, data, parent));
  }

  function render({ record, moments }) {
    let section = document.querySelector('[data-storm-id="' + record.storm_id + '"]');
    if (!section) {
      section = document.createElement('section');
      section.dataset.stormId = record.storm_id;
      section.innerHTML = '<h2></h2><p class="summary"></p><div class="charts"></div>';
      list.appendChild(section);
    }
    const heading = section.querySelector('h2');
    heading.textContent = record.storm_id + ' — ' + record.state;
    heading.className = 'state-' + record.state;
    section.querySelector('.summary').textContent =
      'stores done ' + record.stores_done + ' / ' + record.stores_total + ' · SKUs checked ' + record.skus_checked +
      ' · written ' + record.skus_written + ' · promises at risk ' + record.promises_at_risk + ' · errors ' + record.errors +
      ' · target CPU ' + record.parameters.target_cpu + '%';
    const charts = section.querySelector('.charts');
    const t = moments.map((m) => m.t);
    chart(record.storm_id + '/stores', charts, 'Stores done', [{ label: 'stores done', stroke: '#0b6bcb' }], [t, moments.map((m) => m.stores_done)]);
    chart(record.storm_id + '/skus', charts, 'SKUs per second', [{ label: 'checked/s', stroke: '#1a7f37' }, { label: 'written/s', stroke: '#b54708' }], [t, perSecond(moments, 'skus_checked'), perSecond(moments, 'skus_written')]);
    chart(record.storm_id + '/cpu', charts, 'Worker CPU (% of allowance)', [{ label: 'CPU', stroke: '#7a5af8' }, { label: 'target', stroke: '#98a2b3', dash: [6, 4] }], [t, moments.map((m) => m.cpu_percent), moments.map(() => record.parameters.target_cpu)]);
  }

  async function refresh() {
    let running = false;
    try {
      const response = await fetch('/admin/storms/data', { credentials: 'same-origin' });
      const { storms } = await response.json();
      storms.forEach(render);
      running = storms.some((storm) => storm.record.state === 'running');
      status.textContent = storms.length === 0 ? 'no storm yet' : running ? 'a storm is running: refreshing every 2 s' : 'no storm running';
    } catch (error) {
      status.textContent = 'could not load the storms: ' + error;
    }
    setTimeout(refresh, running ? 2000 : 10000);
  }
  refresh();
})();
`;
