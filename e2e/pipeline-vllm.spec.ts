/**
 * The Pipeline view against the vLLM contract server (scripts/vllmContract.ts, on loopback, started and stopped
 * here): what transformers serve cannot show in a browser. Views go as one MP4 `video_url` each, encoded by the
 * page's own encoder (mediabunny over WebCodecs); the Video-LLM writes the questions from the preferred view; a judge
 * on the same server keeps targeted errors; the connection check reads vLLM's model list and context first.
 */
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { probeVideo } from '../src/media/probe';
import { type ContractServer, type ReceivedRequest, startContractServer } from '../scripts/vllmContract';
import { openPipelineWith } from './app';
import { SHARED_MEDIA, hasSharedMedia } from './fixtures';

const written = {
  query: 'Is the person left or right of the lamp post when they pass it?',
  rewrites: ['Why is the person hidden behind the lamp post the whole time?', 'Which of the two people is in front of the other?', 'Is the person above the lamp post?'],
};
const answer = (r: ReceivedRequest) => {
  if (r.text.startsWith('You write questions')) return JSON.stringify(written);
  if (r.text.startsWith('You check answers')) return '{"reference_ok": true, "keep": [true, false, true]}';
  return `From ${r.videos.length} clip(s): ${r.text.slice(0, 30)}`;
};

let server: ContractServer | undefined;
test.beforeAll(async () => { server = await startContractServer({ answer, maxModelLen: 32768, tokensPerVideo: 1024 }); });
test.afterAll(async () => { await server?.kill(); });

test('Pipeline with a vLLM-shaped server: checked first, questions written by the model, views as MP4 video_url, judged', async ({ page }) => {
  test.skip(!hasSharedMedia, `real sample videos not found in ${SHARED_MEDIA}`);
  test.setTimeout(180_000);
  await openPipelineWith(page, path.join(SHARED_MEDIA, 'walk.mkv'));
  await page.getByTestId('endpoint-url').fill(server!.url);
  await page.getByTestId('endpoint-model').fill(server!.model);
  await page.getByTestId('endpoint-video-as').selectOption('video_url');
  await page.getByTestId('endpoint-max-tokens').fill('16');
  await page.getByTestId('endpoint-extra-body').fill('{"top_k": 20');
  await expect(page.getByTestId('endpoint-extra-body-error')).toContainText('JSON object');
  await page.getByTestId('endpoint-extra-body').fill('{"top_k": 20, "mm_processor_kwargs": {"fps": 2}}');
  await expect(page.getByTestId('endpoint-extra-body-error')).toHaveCount(0);
  await page.getByTestId('pipeline-category-temporal').uncheck();
  await page.getByTestId('pipeline-category-cross-frame').uncheck();
  await page.getByTestId('pipeline-frames').fill('4');
  await page.getByTestId('pipeline-queries').selectOption('endpoint');
  await expect(page.getByTestId('pipeline-query-prompt')).toHaveValue(/\{kinds\}/);

  await page.getByTestId('pipeline-check').click();
  const report = page.getByTestId('pipeline-check-endpoint');
  await expect(report).toHaveAttribute('data-ok', 'true', { timeout: 60_000 });
  await expect(report).toContainText('vllm, context 32768');
  for (const check of ['reachable', 'cors', 'model', 'vision', 'multimodal-limit', 'context']) await expect(report.locator(`li[data-check="${check}"]`)).toHaveAttribute('data-ok', 'true');
  await expect(page.getByTestId('pipeline-check-judge')).toHaveAttribute('data-ok', 'true');

  const before = server!.requests.length;
  await page.getByTestId('pipeline-start').click();
  await expect(page.getByTestId('pipeline-progress')).toHaveAttribute('data-state', 'done', { timeout: 120_000 });
  await expect(page.getByTestId('pipeline-progress')).toHaveAttribute('data-done', '1');
  await expect(page.getByTestId('pipeline-progress')).toContainText('2 pairs');

  const run = server!.requests.slice(before).filter((r) => r.body.max_tokens !== 1);
  expect(run.map((r) => r.outcome)).toEqual(Array(6).fill('200'));
  const [writer, chosen, ...rest] = run;
  const judge = rest.pop()!;
  expect(writer.text).toMatch(/^You write questions/);
  expect(chosen.text).toBe(written.query);
  expect(rest.map((r) => r.text).sort()).toEqual([...written.rewrites].sort()); // asked at once: any arrival order
  expect(judge.text).toContain(written.query);
  expect(judge.videos).toHaveLength(0);
  expect(judge.body.top_k).toBeUndefined(); // the judge has its own (empty) extra fields
  // Every view went as one real MP4 of its frames, never as images.
  for (const r of [writer, chosen, ...rest]) {
    expect(r.body).toMatchObject({ top_k: 20, mm_processor_kwargs: { fps: 2 } }); // the server's own sampling fields, as given
    expect(r.images).toHaveLength(0);
    expect(r.videos).toHaveLength(1);
  }
  const frameCounts = await Promise.all([chosen, ...rest].map(async (r) => (await probeVideo(new Blob([r.videos[0]]))).timeline.frameCount));
  expect(frameCounts[0]).toBeGreaterThan(1);
  expect(frameCounts[0]).toBeLessThanOrEqual(4);
  for (const n of frameCounts.slice(1)) expect(n).toBeGreaterThan(0);

  await page.getByTestId('pipeline-open-curate').click();
  const rows = page.locator('[data-testid="queue-row"][data-id^="pipeline-"]');
  await expect(rows).toHaveCount(2);
});

test('Pipeline: a job the server fails is named, the others go on, and Retry runs only the failed one', async ({ page }) => {
  test.skip(!hasSharedMedia, `real sample videos not found in ${SHARED_MEDIA}`);
  test.setTimeout(180_000);
  await openPipelineWith(page, path.join(SHARED_MEDIA, 'walk.mkv'));
  await page.getByTestId('endpoint-url').fill(server!.url);
  await page.getByTestId('endpoint-model').fill(server!.model);
  await page.getByTestId('endpoint-retries').fill('0');
  await page.getByTestId('endpoint-concurrency').fill('1'); // one job at a time: the first job meets the fault
  await page.getByTestId('judge-enabled').uncheck();
  await page.getByTestId('pipeline-category-cross-frame').uncheck();
  await page.getByTestId('pipeline-frames').fill('4');

  // The first run request (not the check's probe) gets vLLM's 500 body.
  server!.fault({ kind: 'status', status: 500, message: 'CUDA out of memory', match: (b) => b.max_tokens !== 1 });
  const before = server!.requests.length;
  await page.getByTestId('pipeline-start').click();
  const progress = page.getByTestId('pipeline-progress');
  await expect(progress).toHaveAttribute('data-state', 'done', { timeout: 120_000 });
  await expect(progress).toHaveAttribute('data-done', '1');
  await expect(progress).toHaveAttribute('data-failed', '1');
  const failure = page.getByTestId('pipeline-failures').locator('li');
  await expect(failure).toHaveCount(1);
  await expect(failure).toHaveAttribute('data-error', 'EndpointHttpError');
  await expect(failure).toContainText('HTTP 500: CUDA out of memory');
  await expect(failure).toContainText('|spatial|');
  const firstRun = server!.requests.slice(before).filter((r) => r.body.max_tokens !== 1);
  expect(firstRun.map((r) => r.outcome)).toEqual(['fault:500', '200', '200', '200', '200']); // the failed job stopped at its first request; the other asked all four

  await page.getByTestId('pipeline-retry').click();
  await expect(progress).toHaveAttribute('data-state', 'done', { timeout: 120_000 });
  await expect(progress).toHaveAttribute('data-done', '2');
  await expect(progress).toHaveAttribute('data-failed', '0');
  await expect(page.getByTestId('pipeline-failures')).toHaveCount(0);
  const retried = server!.requests.slice(before).filter((r) => r.body.max_tokens !== 1).slice(firstRun.length);
  expect(retried).toHaveLength(4); // only the failed job, asked once more
  await page.getByTestId('pipeline-open-curate').click();
  await expect(page.locator('[data-testid="queue-row"][data-id^="pipeline-"]')).not.toHaveCount(0);
});
