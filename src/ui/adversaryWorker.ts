/** The Worker that applies pixel operations, started on first use; only the newest request's answer is kept. */
import type { PixelOp } from '../adversary';
import type { RgbaFrame } from '../media/frame';

export interface RenderJob {
  source: RgbaFrame;
  ops: readonly PixelOp[];
  /** When set, a difference image against this frame comes back too. */
  compareWith?: RgbaFrame;
}
export interface RenderRequest {
  id: number;
  jobs: RenderJob[];
}
export type RenderResponse =
  | { id: number; frames: RgbaFrame[]; diffs: (RgbaFrame | null)[]; ms: number }
  | { id: number; error: string };

let worker: Worker | null = null;
let nextId = 1;
const pending = new Map<number, (r: RenderResponse) => void>();

/** Renders the jobs in the Worker (frames are copied there; results are transferred back). */
export function renderInWorker(jobs: RenderJob[]): Promise<{ frames: RgbaFrame[]; diffs: (RgbaFrame | null)[]; ms: number }> {
  if (!worker) {
    worker = new Worker(new URL('./workers/adversary.worker.ts', import.meta.url), { type: 'module', name: 'adversary' });
    worker.addEventListener('message', (e: MessageEvent<RenderResponse>) => {
      pending.get(e.data.id)?.(e.data);
      pending.delete(e.data.id);
    });
    worker.addEventListener('error', (e) => {
      for (const resolve of pending.values()) resolve({ id: 0, error: `the adversary worker stopped: ${e.message}` });
      pending.clear();
      worker = null;
    });
  }
  const id = nextId++;
  return new Promise((resolve, reject) => {
    pending.set(id, (r) => ('error' in r ? reject(new Error(r.error)) : resolve(r)));
    worker!.postMessage({ id, jobs } satisfies RenderRequest);
  });
}
