/** The page/Worker protocol over a real MessageChannel: results, named errors across the boundary, cancellation. */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { MessageChannel } from 'node:worker_threads';
import { afterEach, expect, it } from 'vitest';
import { CancelledError, EmptyFileError, UnrecognizedFormatError } from './errors';
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

it('an aborted request rejects at once with CancelledError and a late reply is ignored', async () => {
  const client = connect();
  const controller = new AbortController();
  const pending = client.probe(new Blob([]), undefined, { signal: controller.signal });
  controller.abort();
  await expect(pending).rejects.toBeInstanceOf(CancelledError);
  await expect(client.probe(new Blob([]), undefined, { signal: controller.signal })).rejects.toBeInstanceOf(CancelledError);
  // The channel still works afterwards.
  await expect(client.probe(new Blob([]))).rejects.toBeInstanceOf(EmptyFileError);
});
