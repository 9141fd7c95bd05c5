/// <reference lib="webworker" />
/** Applies adversarial pixel operations (and difference images) off the main thread, over frames it keeps by key. */
import { applyPixelOps, pixelDifference } from '../../adversary';
import type { RgbaFrame } from '../../media/frame';
import { type FrameRef, type RenderRequest, type RenderResponse, WORKER_FRAMES } from '../adversaryWorker';

const scope = self as unknown as DedicatedWorkerGlobalScope;
const frames = new Map<string, RgbaFrame>();

function resolve(ref: FrameRef): RgbaFrame {
  if (ref.frame) {
    frames.set(ref.key, ref.frame);
    if (frames.size > WORKER_FRAMES) frames.delete(frames.keys().next().value!);
    return ref.frame;
  }
  const f = frames.get(ref.key);
  if (!f) throw new Error(`frame ${ref.key} was never sent to the worker`);
  return f;
}

scope.addEventListener('message', (event: MessageEvent<RenderRequest>) => {
  const { id, jobs } = event.data;
  const t0 = performance.now();
  try {
    const out = jobs.map((j) => applyPixelOps(resolve(j.source), j.ops));
    const diffs = jobs.map((j, i) => (j.compareWith ? pixelDifference(out[i], resolve(j.compareWith)) : null));
    const transfer = [...out, ...diffs].flatMap((f) => (f ? [f.data.buffer] : []));
    scope.postMessage({ id, frames: out, diffs, ms: performance.now() - t0 } satisfies RenderResponse, transfer);
  } catch (e) {
    scope.postMessage({ id, error: (e as Error).message } satisfies RenderResponse);
  }
});
