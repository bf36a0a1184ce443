// Inventory stress: tills re-reading hot stores (with ETags), web pages reading cold ones, sales
// updating stock, and one Restock Storm on top, against a deployed platform:
//   k6 run -e BASE_URL=https://inventory.example.com -e API_KEY=<an admin key> tools/load-testing/k6/scenarios/inventory-stress.js
// The mix and thresholds come from ../../load-profile.json; -e DURATION_SECONDS / RATE_SCALE adjust a run.
import http from 'k6/http';
import { check } from 'k6';

const profile = JSON.parse(open('../../load-profile.json'));
const BASE_URL = __ENV.BASE_URL || 'http://localhost:8080';
const API_KEY = __ENV.API_KEY || '';
const AUTH = { Authorization: `Bearer ${API_KEY}` };
const DURATION_SECONDS = Number(__ENV.DURATION_SECONDS || profile.duration_seconds);
const RATE_SCALE = Number(__ENV.RATE_SCALE || 1);
const STORES = Number(__ENV.STORES || profile.stores);
const HOT_STORES = Number(__ENV.HOT_STORES || profile.hot_stores);
const SKUS_PER_STORE = Number(__ENV.SKUS_PER_STORE || profile.skus_per_store);

function arrivals(name) {
  const rate = Math.max(1, Math.round(profile.rates_per_second[name] * RATE_SCALE));
  return {
    executor: 'constant-arrival-rate',
    exec: name.replace(/_(\w)/g, (_, c) => c.toUpperCase()),
    rate,
    timeUnit: '1s',
    duration: `${DURATION_SECONDS}s`,
    preAllocatedVUs: Math.max(10, rate / 4),
    maxVUs: Math.max(50, rate * 2),
  };
}

const thresholds = { checks: ['rate>0.99'] };
for (const [name, limit] of Object.entries(profile.thresholds)) {
  thresholds[`http_req_duration{scenario:${name}}`] = [`p(95)<${limit.p95_ms}`];
  thresholds[`http_req_failed{scenario:${name}}`] = [`rate<${limit.max_error_rate}`];
}

const scenarios = { hot_reads: arrivals('hot_reads'), cold_reads: arrivals('cold_reads'), updates: arrivals('updates') };
if (API_KEY) {
  scenarios.restock_storm = {
    executor: 'shared-iterations',
    exec: 'restockStorm',
    vus: 1,
    iterations: 1,
    startTime: `${profile.storm.at_seconds}s`,
  };
}

export const options = { scenarios, thresholds, discardResponseBodies: true };

const randomInt = (from, to) => from + Math.floor(Math.random() * (to - from + 1));
const storeId = (index) => `store-${index}`;
// Per VU: the ETag each hot store last answered with, as a till keeps it.
const etags = {};

// 304 answers an If-None-Match that still matches: a success, not a failure.
http.setResponseCallback(http.expectedStatuses(200, 304));

export function hotReads() {
  const store = storeId(randomInt(1, HOT_STORES));
  const headers = { ...AUTH, 'Accept-Encoding': 'gzip' };
  if (etags[store]) headers['If-None-Match'] = etags[store];
  const response = http.get(`${BASE_URL}/inventory/store/${store}`, { headers, tags: { name: 'GET /inventory/store/{hot}' } });
  if (response.headers.Etag) etags[store] = response.headers.Etag;
  check(response, { 'hot read 200/304': (r) => r.status === 200 || r.status === 304 });
}

export function coldReads() {
  const store = storeId(randomInt(HOT_STORES + 1, STORES));
  const response = http.get(`${BASE_URL}/inventory/store/${store}`, {
    headers: { ...AUTH, 'Accept-Encoding': 'gzip' },
    tags: { name: 'GET /inventory/store/{cold}' },
  });
  check(response, { 'cold read 200': (r) => r.status === 200 });
}

export function updates() {
  const body = JSON.stringify({
    store_id: storeId(randomInt(1, HOT_STORES)),
    sku: `SKU-${1000 + randomInt(1, SKUS_PER_STORE)}`,
    quantity: randomInt(0, 500),
  });
  const response = http.post(`${BASE_URL}/inventory/update`, body, {
    headers: { ...AUTH, 'Content-Type': 'application/json' },
    tags: { name: 'POST /inventory/update' },
  });
  check(response, { 'update 200': (r) => r.status === 200 });
}

export function restockStorm() {
  const body = JSON.stringify({ duration_seconds: profile.storm.duration_seconds, target_cpu: profile.storm.target_cpu });
  const response = http.post(`${BASE_URL}/stress/restock`, body, {
    headers: { ...AUTH, 'Content-Type': 'application/json' },
    responseCallback: http.expectedStatuses(202, 409),
    tags: { name: 'POST /stress/restock' },
  });
  // 409: a storm is already running, which is the state this scenario wants.
  check(response, { 'storm started or running': (r) => r.status === 202 || r.status === 409 });
}
