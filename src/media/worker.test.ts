/** The media Worker's methods over a real MessageChannel: results, named errors across the boundary, cancellation, a failing Worker. */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, expect, it } from 'vitest';
import type { WorkerEndpoint } from '../core/worker';
import { CancelledError, EmptyFileError, MediaError, UnrecognizedFormatError, WorkerFailedError } from './errors';
import { MediaWorkerClient } from './workerClient';
import { serveMedia } from './workerHost';

let channel: MessageChannel;
function connect(): MediaWorkerClient {
  channel = new MessageChannel();
  serveMedia(channel.port1 as unknown as WorkerEndpoint);
  return new MediaWorkerClient(() => channel.port2 as unknown as WorkerEndpoint);
}
afterEach(() => { channel?.port1.close(); channel?.port2.close(); });

it('rebuilds named error classes on the page side', async () => {
  const client = connect();
  const empty = await client.probe(new Blob([])).catch((e) => e);
  expect(empty).toBeInstanceOf(EmptyFileError);
  expect(empty).toBeInstanceOf(MediaError);
  expect(empty.message).toMatch(/0 bytes/);
  await expect(client.probe(new Blob(['plain text '.repeat(50)]))).rejects.toBeInstanceOf(UnrecognizedFormatError);
});

const sample = path.resolve(__dirname, '../../../shared/media/walk.mkv');
it.skipIf(!existsSync(sample))('returns probe results (skipped without ../shared/media)', async () => {
  const client = connect();
  const { probe, timeline } = await client.probe(new Blob([readFileSync(sample)]));
  expect(probe.frameCount).toBe(89);
  expect(timeline.timestamps).toBeInstanceOf(Float64Array);
});

it('an aborted request rejects at once with CancelledError, and the channel keeps working', async () => {
  const client = connect();
  const controller = new AbortController();
  const pending = client.probe(new Blob([]), undefined, { signal: controller.signal });
  controller.abort();
  await expect(pending).rejects.toBeInstanceOf(CancelledError);
  await expect(client.probe(new Blob([]), undefined, { signal: controller.signal })).rejects.toBeInstanceOf(CancelledError);
  // The channel still works afterwards.
  await expect(client.probe(new Blob([]))).rejects.toBeInstanceOf(EmptyFileError);
});

it('a Worker that fails rejects every pending request with WorkerFailedError, and the next request starts a new Worker', async () => {
  const started: (WorkerEndpoint & { posted: unknown[] })[] = [];
  const client = new MediaWorkerClient(() => {
    const w = { posted: [] as unknown[], onmessage: null, onerror: null, postMessage(m: unknown) { this.posted.push(m); }, terminate() {} };
    started.push(w);
    return w;
  });
  const pending = [client.probe(new Blob(['x'])), client.thumbnail(new Blob(['x']), { timestamps: new Float64Array(0) } as never)];
  expect(started).toHaveLength(1);
  expect(started[0].posted).toHaveLength(2);
  started[0].onerror!({ message: 'out of memory' } as ErrorEvent);
  for (const p of pending) {
    await expect(p).rejects.toThrow(/media worker stopped unexpectedly: out of memory/);
    await expect(p).rejects.toBeInstanceOf(WorkerFailedError);
  }
  void client.probe(new Blob(['y']));
  expect(started).toHaveLength(2);
  expect(started[1].posted).toHaveLength(1);
});
