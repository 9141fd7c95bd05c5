/** The pixel Worker's methods: frames arrive over a second channel (as from the media Worker), renders name them by key. */
import { afterEach, expect, it } from 'vitest';
import type { RgbaFrame } from '../core/frame';
import { type MessageEndpoint, type WorkerEndpoint, WorkerClient, serve } from '../core/worker';
import type { FrameSinkMethods } from '../media/frameSink';
import { applyPixelOps } from './pixelOps';
import type { PixelOp } from './types';
import { type PixelMethods, pixelMethods } from './workerHost';

const ports: MessagePort[] = [];
afterEach(() => { while (ports.length) ports.pop()!.close(); });
const asEndpoint = (p: MessagePort) => p as unknown as WorkerEndpoint;

function frame(w: number, h: number, seed: number): RgbaFrame {
  const data = new Uint8ClampedArray(w * h * 4);
  for (let i = 0; i < data.length; i++) data[i] = (i * 7 + seed) % 251;
  return { width: w, height: h, data };
}

it('renders frames shared over the link, by key, and forgets evicted ones', async () => {
  const page = new MessageChannel();
  const link = new MessageChannel();
  ports.push(page.port1, page.port2, link.port1, link.port2);
  serve(asEndpoint(page.port1), pixelMethods({ shareWaitMs: 50 }));
  const pixels = new WorkerClient<PixelMethods>(() => asEndpoint(page.port2), { name: 'adversary' });
  await pixels.call('link', { port: link.port2 as unknown as MessageEndpoint }, { transfer: [link.port2] });

  // The media side delivers frames through its end of the link.
  const media = new WorkerClient<FrameSinkMethods>(() => asEndpoint(link.port1), { name: 'linked' });
  const a = frame(4, 2, 1);
  const b = frame(4, 2, 9);
  const ops: PixelOp[] = [{ op: 'flipH' }];
  // A render that arrives before its frames waits for them.
  const early = pixels.call('render', { jobs: [{ source: 'v:0@4', ops, compareWith: 'v:1@4' }, { source: 'v:1@4', ops: [] }] });
  await media.call('store', { frames: [{ key: 'v:0@4', frame: structuredClone(a) }, { key: 'v:1@4', frame: structuredClone(b) }] });
  expect(await pixels.call('size', undefined)).toBe(2);
  const out = await early;
  expect([...out.frames[0].data]).toEqual([...applyPixelOps(a, ops).data]);
  expect([...out.frames[1].data]).toEqual([...b.data]);
  expect(out.diffs[0]).not.toBeNull();
  expect(out.diffs[1]).toBeNull();

  await pixels.call('evict', { keys: ['v:0@4'] });
  await expect(pixels.call('render', { jobs: [{ source: 'v:0@4', ops }] })).rejects.toThrow('frame v:0@4 was never shared with the pixel worker');
});
