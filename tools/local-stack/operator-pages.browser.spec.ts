/**
 * The operator pages in a real browser (Debian's Chromium driven by playwright-core), through the
 * ingress path as an operator reaches them: the queue dashboard, the storm page, and the API
 * reference anyone may read. The security headers must not break them. STORM_PAGE_SCREENSHOT names where the storm page's screenshot goes
 * (default: the system's temporary directory).
 */
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, chromium } from 'playwright-core';
import { type LocalStack, startLocalStack } from '../local-stack/local-stack';
import { privateStackOptions } from '../local-stack/local-stack.testing';

const TOKEN = 'browser-admin-key-0123456789abcdef0123456789';

function chromiumPath(): string {
  try {
    // Debian names it chromium; Ubuntu (the GitHub runners) chromium-browser.
    return execFileSync('sh', ['-c', 'command -v chromium || command -v chromium-browser'], { encoding: 'utf8' }).trim();
  } catch {
    throw new Error('chromium is not installed (Debian: apt-get install chromium); the dashboard test drives it');
  }
}

describe('operator pages in a browser, through the ingress', () => {
  let stack: LocalStack;
  let browser: Browser;

  beforeAll(async () => {
    stack = await startLocalStack(
      privateStackOptions('browser', {
        adminKey: TOKEN,
        seed: { stores: 2, skusPerStore: 10 },
        logLevel: 'warn',
        log: () => undefined,
      }),
    );
    browser = await chromium.launch({
      executablePath: chromiumPath(),
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
  }, 120_000);

  /** Opens an operator page with Basic credentials, collecting the console's CSP complaints. */
  async function openAsOperator(path: string) {
    const context = await browser.newContext({
      httpCredentials: { username: 'operator', password: TOKEN },
      viewport: { width: 1400, height: 900 },
    });
    const page = await context.newPage();
    const violations: string[] = [];
    page.on('console', (message) => {
      if (/Content Security Policy|Refused to/i.test(message.text())) violations.push(message.text());
    });
    const answer = await page.goto(`${stack.gatewayUrl}${path}`);
    return { context, page, violations, answer };
  }

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  it('when an operator opens /admin/queues with Basic credentials after a storm, then the page shows the restock queue and its jobs and the webhook queue, with no CSP violation', async () => {
    const headers = { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' };
    const started = await fetch(`${stack.gatewayUrl}/stress/restock`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ duration_seconds: 60, target_cpu: 100, stores: 2, skus_per_store: 10 }),
    });
    expect(started.status).toBe(202);
    const { status_url } = (await started.json()) as { status_url: string };
    for (let i = 0; i < 100; i += 1) {
      const { state } = (await (await fetch(`${stack.gatewayUrl}${status_url}`, { headers })).json()) as { state: string };
      if (state !== 'running') break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }

    const { context, page, violations, answer } = await openAsOperator('/admin/queues');
    expect(answer?.status()).toBe(200);
    expect(answer?.headers()['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(answer?.headers()['x-powered-by']).toBeUndefined();

    await page.getByText('restock', { exact: false }).first().waitFor({ timeout: 15_000 });
    // The webhook deliveries' queue is listed beside it (apps/README.md#events-and-webhooks).
    await page.getByText('webhooks', { exact: false }).first().waitFor({ timeout: 15_000 });
    await page.goto(`${stack.gatewayUrl}/admin/queues/queue/restock?status=completed`);
    await page
      .getByText(/store-1|store-2/)
      .first()
      .waitFor({ timeout: 15_000 });
    await context.close();
    expect(violations.filter((text) => !/fonts\.googleapis|fonts\.gstatic/.test(text))).toEqual([]);
  });

  it('when an operator opens /admin/storms while a storm runs, then the storm shows up, its progress moves, and the charts draw with no CSP violation', async () => {
    const headers = { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' };
    const started = await fetch(`${stack.gatewayUrl}/stress/restock`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ duration_seconds: 120, target_cpu: 60, stores: 40, skus_per_store: 500, change_ratio: 1 }),
    });
    expect(started.status).toBe(202);
    const { storm_id } = (await started.json()) as { storm_id: string };

    const { context, page, violations, answer } = await openAsOperator('/admin/storms');
    expect(answer?.status()).toBe(200);
    expect(answer?.headers()['content-security-policy']).toContain("script-src 'self'");

    const summary = page.locator(`[data-storm-id="${storm_id}"] .summary`);
    await summary.waitFor({ timeout: 15_000 });
    const storesDone = async () => Number(/stores done (\d+)/.exec((await summary.textContent()) ?? '')?.[1] ?? -1);
    const first = await storesDone();
    // The page refreshes itself: the same element shows more stores done, without a reload.
    for (let i = 0; i < 240 && (await storesDone()) <= first; i += 1) await page.waitForTimeout(250);
    expect(await storesDone()).toBeGreaterThan(first);
    await page.locator(`[data-storm-id="${storm_id}"] .uplot`).nth(2).waitFor({ timeout: 15_000 });
    await page.waitForTimeout(2_500);
    await page.screenshot({ path: process.env['STORM_PAGE_SCREENSHOT'] ?? join(tmpdir(), 'storm-page.png'), fullPage: true });
    await context.close();
    expect(violations).toEqual([]);
  });

  it('when anyone opens /docs through the ingress, then the API reference renders the document with its operations, from the app alone, with no CSP violation', async () => {
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    const page = await context.newPage();
    const violations: string[] = [];
    const elsewhere: string[] = [];
    page.on('console', (message) => {
      if (/Content Security Policy|Refused to/i.test(message.text())) violations.push(message.text());
    });
    page.on('request', (request) => {
      if (!request.url().startsWith(stack.gatewayUrl) && !request.url().startsWith('data:')) elsewhere.push(request.url());
    });
    const answer = await page.goto(`${stack.gatewayUrl}/docs`);
    expect(answer?.status()).toBe(200);
    expect(answer?.headers()['content-security-policy']).toContain("connect-src 'self'");
    // Three operations of the document, by their summaries as the page lists them (the stock routes come first).
    for (const summary of [
      'a store: whole (as the original), or one page',
      'set a quantity (optionally compare-and-swap)',
      'add or remove units atomically, never below 0',
    ])
      await page.getByText(summary, { exact: false }).first().waitFor({ timeout: 30_000 });
    await page.screenshot({ path: join(tmpdir(), 'api-reference.png') });
    await context.close();
    expect(violations).toEqual([]);
    expect(elsewhere).toEqual([]);
  });
});
