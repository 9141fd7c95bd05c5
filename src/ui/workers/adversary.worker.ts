/// <reference lib="webworker" />
/** Applies adversarial pixel operations (and difference images) off the main thread. */
import { applyPixelOps, pixelDifference } from '../../adversary';
import type { RenderRequest, RenderResponse } from '../adversaryWorker';

const scope = self as unknown as DedicatedWorkerGlobalScope;
scope.addEventListener('message', (event: MessageEvent<RenderRequest>) => {
  const { id, jobs } = event.data;
  const t0 = performance.now();
  try {
    const frames = jobs.map((j) => applyPixelOps(j.source, j.ops));
    const diffs = jobs.map((j, i) => (j.compareWith ? pixelDifference(frames[i], j.compareWith) : null));
    const transfer = [...frames, ...diffs].flatMap((f) => (f ? [f.data.buffer] : []));
    scope.postMessage({ id, frames, diffs, ms: performance.now() - t0 } satisfies RenderResponse, transfer);
  } catch (e) {
    scope.postMessage({ id, error: (e as Error).message } satisfies RenderResponse);
  }
});
