/** The served app is isolated, locked down by CSP, talks only to its own origin, and its first view is light. */
import { gzipSync } from 'node:zlib';
import { expect, test } from '@playwright/test';
import { DEMOS_OFFERED_KEY } from '../src/ui/demo/demoScenes';
import { addFiles, cardMeta, openFreshApp } from './app';

const FIRST_VIEW_JS_BUDGET = 300 * 1024; // gzipped

test('responses carry cross-origin isolation and a strict Content-Security-Policy', async ({ page }) => {
  const response = await page.goto('/');
  const headers = response!.headers();
  expect(headers['cross-origin-opener-policy']).toBe('same-origin');
  expect(headers['cross-origin-embedder-policy']).toBe('require-corp');
  const csp = headers['content-security-policy'];
  expect(csp).toContain("script-src 'self' 'wasm-unsafe-eval'");
  // Requests: this origin and loopback servers only (the Pipeline view's endpoints; PASTA_CONNECT_SRC adds others).
  expect(csp).toContain("connect-src 'self' http://127.0.0.1:* http://localhost:*");
  expect(csp).toContain("default-src 'self'");
  expect(csp).not.toMatch(/'unsafe-inline'|'unsafe-eval'/);
  expect(csp.replace(/http:\/\/(127\.0\.0\.1|localhost):\*/g, '')).not.toMatch(/https?:/);
  expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
  expect(await page.evaluate(() => typeof SharedArrayBuffer)).toBe('function');
});

test('the policy is enforced: inline and remote scripts are refused', async ({ page }) => {
  await page.goto('/');
  const result = await page.evaluate(async () => {
    const violations: string[] = [];
    document.addEventListener('securitypolicyviolation', (e) => violations.push(e.violatedDirective));
    const inline = document.createElement('script');
    inline.textContent = 'window.__inlineRan = true';
    document.head.append(inline);
    let fetchFailed = false;
    try { await fetch('https://remote.invalid/never'); } catch { fetchFailed = true; }
    await new Promise((r) => setTimeout(r, 100));
    return { inlineRan: (window as unknown as { __inlineRan?: boolean }).__inlineRan === true, fetchFailed, violations };
  });
  expect(result.inlineRan).toBe(false);
  expect(result.fetchFailed).toBe(true);
  expect(result.violations).toEqual(expect.arrayContaining(['script-src-elem', 'connect-src']));
});

test('using the workbench makes no request outside its own origin and breaks no policy', async ({ page, baseURL }) => {
  const foreign: string[] = [];
  const problems: string[] = [];
  page.on('request', (r) => {
    const url = r.url();
    if (!url.startsWith(baseURL!) && !url.startsWith('blob:') && !url.startsWith('data:')) foreign.push(url);
  });
  page.on('console', (m) => { if (m.type() === 'error' || /Content Security Policy/.test(m.text())) problems.push(m.text()); });
  page.on('pageerror', (e) => problems.push(e.message));
  await openFreshApp(page);
  await addFiles(page, ['avc.mp4', 'vp9.webm']);
  await cardMeta(page, 'vp9.webm');
  await expect(page.getByTestId('frame-tile')).toHaveCount(32);
  await page.keyboard.press('?');
  await page.keyboard.press('Escape');
  expect(foreign).toEqual([]);
  expect(problems).toEqual([]);
});

test(`the first view needs at most ${FIRST_VIEW_JS_BUDGET / 1024} KB of gzipped JavaScript`, async ({ page }) => {
  const scripts = new Map<string, Promise<number>>();
  page.on('response', (r) => {
    if (r.request().resourceType() === 'script' || r.url().endsWith('.js')) {
      scripts.set(r.url(), r.body().then((b) => gzipSync(b).length));
    }
  });
  // A returning user's empty library: on the very first start the demo videos are made and probed, which loads the media Worker on purpose.
  await page.addInitScript((key) => localStorage.setItem(key, '1'), DEMOS_OFFERED_KEY);
  await page.goto('/');
  await expect(page.getByRole('button', { name: 'Add videos' })).toBeVisible();
  await page.waitForLoadState('networkidle');
  const total = (await Promise.all(scripts.values())).reduce((a, b) => a + b, 0);
  test.info().annotations.push({ type: 'first-view JS (gzip)', description: `${(total / 1024).toFixed(1)} KB in ${scripts.size} file(s)` });
  expect(scripts.size).toBeGreaterThan(0);
  expect(total).toBeLessThanOrEqual(FIRST_VIEW_JS_BUDGET);
  // The media decoder lives in the Worker, loaded when the first file arrives, not with the first view.
  expect([...scripts.keys()].some((u) => u.includes('media.worker'))).toBe(false);
});
