/** The page/Worker protocol over a real MessageChannel: results, named errors across the boundary, cancellation. */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { MessageChannel } from 'node:worker_threads';
import { afterEach, expect, it } from 'vitest';
import { CancelledError, EmptyFileError, UnrecognizedFormatError, WorkerFailedError } from './errors';
import { MediaWorkerClient } from './workerClient';
import { serveMediaRequests } from './workerHost';
import type { MessagePort_ } from './workerProtocol';

let channel: MessageChannel;
function connect(): MediaWorkerClient {
  channel = new MessageChannel();
  serveMediaRequests(channel.port1 as unknown as MessagePort_);
  const client = new MediaWorkerClient(channel.port2 as unknown as MessagePort_);
  channel.port1.start();
  channel.port2.start();
  return client;
}
afterEach(() => { channel.port1.close(); channel.port2.close(); });

it('rebuilds named error classes on the page side', async () => {
  const client = connect();
  const empty = await client.probe(new Blob([])).catch((e) => e);
  expect(empty).toBeInstanceOf(EmptyFileError);
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

it('a Worker that fails rejects every pending request with WorkerFailedError, and every later one', async () => {
  const worker = new EventTarget() as EventTarget & MessagePort_;
  const posted: unknown[] = [];
  worker.postMessage = (m: unknown) => { posted.push(m); };
  const client = new MediaWorkerClient(worker);
  const pending = client.probe(new Blob(['x']));
  expect(posted).toHaveLength(1);
  const crash = new Event('error');
  Object.assign(crash, { message: 'out of memory' });
  worker.dispatchEvent(crash);
  await expect(pending).rejects.toThrow(/media worker stopped unexpectedly: out of memory/);
  await expect(pending).rejects.toBeInstanceOf(WorkerFailedError);
  await expect(client.probe(new Blob(['y']))).rejects.toBeInstanceOf(WorkerFailedError);
  expect(posted).toHaveLength(1);
});
