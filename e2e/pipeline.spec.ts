/**
 * A researcher makes preference pairs from a real Video-LLM server in the
 * browser: a real sample video (walk.mkv, ../shared/media) in the library, a
 * real `transformers serve` on loopback (the tiny Idefics3 of
 * scripts/tiny_vlm.py), started and stopped by this test. Without
 * --enable-cors the page's requests are blocked: the connection check names
 * the server's own setting and a run does not start; with it, pairs land in the pair store and in
 * Curate, each request carrying exactly the frames of its view, and after a
 * reload the same run asks nothing twice.
 */
import path from 'node:path';
import { expect, test, type Page, type Request } from '@playwright/test';
import { startTransformersServe, type TransformersServe } from '../scripts/transformersServe';
import { openPipelineWith, screenshot } from './app';
import { SHARED_MEDIA, hasSharedMedia } from './fixtures';

let plain: TransformersServe | undefined;
let cors: TransformersServe | undefined;

test.beforeAll(async () => {
  if (!hasSharedMedia) return;
  [plain, cors] = await Promise.all([startTransformersServe(), startTransformersServe({ enableCors: true })]);
});
test.afterAll(async () => {
  await Promise.all([plain?.stop(), cors?.stop()]);
});

async function setUp(page: Page, server: TransformersServe) {
  await page.getByTestId('endpoint-url').fill(server.baseUrl);
  await page.getByTestId('endpoint-model').fill(server.model);
  await page.getByTestId('endpoint-max-tokens').fill('8');
  await page.getByTestId('judge-enabled').uncheck(); // the tiny random model cannot write the judge's JSON
  await page.getByTestId('pipeline-category-temporal').uncheck();
  await page.getByTestId('pipeline-category-cross-frame').uncheck();
  await page.getByTestId('pipeline-frames').fill('4');
}

/** The images of every chat completion request the page sends, by query. */
function recordRequests(page: Page) {
  const sent: { query: string; images: number; probe: boolean }[] = [];
  page.on('request', (r: Request) => {
    if (!r.url().endsWith('/chat/completions') || r.method() !== 'POST') return;
    const body = r.postDataJSON() as { max_tokens?: number; messages: { content: string | { type: string; text?: string }[] }[] };
    const parts = body.messages.at(-1)!.content;
    const probe = body.max_tokens === 1; // the connection check's probe answers in one token
    if (typeof parts === 'string') return sent.push({ query: parts, images: 0, probe });
    sent.push({ query: parts.find((p) => p.type === 'text')?.text ?? '', images: parts.filter((p) => p.type === 'image_url').length, probe });
  });
  return sent;
}

test('Pipeline: pairs from transformers serve over a real video, the CORS failure named, no job asked twice after a reload', async ({ page }) => {
  test.skip(!hasSharedMedia, `real sample videos not found in ${SHARED_MEDIA}`);
  test.setTimeout(240_000);
  await openPipelineWith(page, path.join(SHARED_MEDIA, 'walk.mkv'));

  // 1. A server that sends no CORS headers: the page cannot read it; the connection check says why, and a run does not start.
  await setUp(page, plain!);
  await page.getByTestId('pipeline-check').click();
  const report = page.getByTestId('pipeline-check-endpoint');
  await expect(report).toHaveAttribute('data-ok', 'false', { timeout: 30_000 });
  await expect(report.locator('li[data-ok="false"]').first()).toContainText('--enable-cors');
  await page.getByTestId('pipeline-start').click();
  await expect(page.getByTestId('pipeline-error')).toContainText('Not started: the connection check failed');
  await expect(page.getByTestId('pipeline-error')).toContainText('--enable-cors');
  await expect(page.getByTestId('pipeline-progress')).toHaveCount(0);

  // 2. With --enable-cors: the check passes, the job runs; its pairs reach the pair store.
  const sent = recordRequests(page);
  await page.getByTestId('endpoint-url').fill(cors!.baseUrl);
  await page.getByTestId('pipeline-check').click();
  await expect(report).toHaveAttribute('data-ok', 'true', { timeout: 30_000 });
  for (const check of ['reachable', 'cors', 'model', 'vision', 'multimodal-limit']) await expect(report.locator(`li[data-check="${check}"]`)).toHaveAttribute('data-ok', 'true');
  await page.getByTestId('pipeline-start').click();
  await expect(page.getByTestId('pipeline-progress')).toHaveAttribute('data-state', 'done', { timeout: 120_000 });
  await expect(page.getByTestId('pipeline-progress')).toHaveAttribute('data-done', '1');
  await expect(page.getByTestId('pipeline-progress')).toContainText(/[1-9]\d* tokens/);
  const made = Number((await page.getByTestId('pipeline-progress').innerText()).match(/(\d+) pairs/)![1]);
  expect(made).toBeGreaterThan(0); // the tiny random model's answers differ, so the plain rule keeps some
  // Two probes (the check, then the run's own check), each with the run's 4 frames; then r+ with the preferred
  // view's frames and each rewrite with the sparse view's: one request each, four in all.
  expect(sent.filter((s) => s.probe).map((s) => s.images)).toEqual([4, 4]);
  const asked = sent.filter((s) => !s.probe);
  expect(asked).toHaveLength(4);
  expect(asked[0].images).toBeGreaterThan(0);
  expect(asked[0].images).toBeLessThanOrEqual(4);
  for (const s of asked.slice(1)) expect(s.images).toBeGreaterThan(0);
  await screenshot(page, 'pipeline.png');

  await page.getByTestId('pipeline-open-curate').click();
  const rows = page.locator('[data-testid="queue-row"][data-id^="pipeline-"]');
  await expect(rows).toHaveCount(made);

  // 3. After a reload the finished job is not asked again.
  await page.reload();
  await page.getByRole('navigation', { name: 'Views' }).getByText('Pipeline').click();
  await expect(page.getByTestId('pipeline-view')).toBeVisible();
  const again = recordRequests(page);
  await page.getByTestId('pipeline-start').click();
  await expect(page.getByTestId('pipeline-progress')).toHaveAttribute('data-state', 'done', { timeout: 30_000 });
  await expect(page.getByTestId('pipeline-progress')).toHaveAttribute('data-total', '0');
  expect(again.filter((s) => !s.probe)).toHaveLength(0);
});
