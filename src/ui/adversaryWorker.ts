/**
 * The Worker that applies pixel operations, started on first use. Source
 * frames are sent once and kept there by key, so a recipe or seed switch
 * sends only the operations; results come back transferred, not copied.
 */
import type { PixelOp } from '../adversary';
import type { RgbaFrame } from '../media/frame';

/** A frame the Worker keeps: sent with `frame` the first time, by `key` alone afterwards. */
export interface FrameRef {
  key: string;
  frame?: RgbaFrame;
}
export interface RenderJob {
  source: FrameRef;
  ops: readonly PixelOp[];
  /** When set, a difference image against this frame comes back too. */
  compareWith?: FrameRef;
}
export interface RenderRequest {
  id: number;
  jobs: RenderJob[];
}
export type RenderResponse =
  | { id: number; frames: RgbaFrame[]; diffs: (RgbaFrame | null)[]; ms: number }
  | { id: number; error: string };

/** Frames kept in the Worker (its own copies), at most this many. */
export const WORKER_FRAMES = 600;

let worker: Worker | null = null;
let nextId = 1;
const pending = new Map<number, (r: RenderResponse) => void>();
/** Keys the Worker holds, in the order it received them (it drops the oldest the same way). */
const held: string[] = [];

function ref(key: string, frame: RgbaFrame): FrameRef {
  if (held.includes(key)) return { key };
  held.push(key);
  if (held.length > WORKER_FRAMES) held.shift();
  return { key, frame };
}

/** Renders the jobs in the Worker: `source` and `compareWith` are (key, frame) pairs; frames already there are not sent again. */
export function renderInWorker(jobs: { source: [string, RgbaFrame]; ops: readonly PixelOp[]; compareWith?: [string, RgbaFrame] }[]): Promise<{ frames: RgbaFrame[]; diffs: (RgbaFrame | null)[]; ms: number }> {
  if (!worker) {
    worker = new Worker(new URL('./workers/adversary.worker.ts', import.meta.url), { type: 'module', name: 'adversary' });
    worker.addEventListener('message', (e: MessageEvent<RenderResponse>) => {
      pending.get(e.data.id)?.(e.data);
      pending.delete(e.data.id);
    });
    worker.addEventListener('error', (e) => {
      for (const resolve of pending.values()) resolve({ id: 0, error: `the adversary worker stopped: ${e.message}` });
      pending.clear();
      held.length = 0;
      worker = null;
    });
  }
  const id = nextId++;
  const request: RenderRequest = {
    id,
    jobs: jobs.map((j) => ({ source: ref(...j.source), ops: j.ops, compareWith: j.compareWith && ref(...j.compareWith) })),
  };
  return new Promise((resolve, reject) => {
    pending.set(id, (r) => ('error' in r ? reject(new Error(r.error)) : resolve(r)));
    worker!.postMessage(request);
  });
}
