/** The Worker protocol, over a MessageChannel and in a real worker_threads Worker. */
import { afterEach, describe, expect, it } from 'vitest';
import { CancelledError, NamedError, TimeoutError, WorkerFailedError } from './errors';
import { startNodeWorker } from './nodeWorker';
import { aborted, FixtureError, type FixtureMethods, fixtureMethods } from './worker.fixture';
import { type WorkerEndpoint, WorkerClient, serve } from './worker';

const closers: (() => void)[] = [];
afterEach(() => { while (closers.length) closers.pop()!(); });

/** A client whose "Worker" is the fixture served on the other end of a MessageChannel. */
function overChannel(timeoutMs?: number): WorkerClient<FixtureMethods> {
  const { port1, port2 } = new MessageChannel();
  const stop = serve(port1 as unknown as WorkerEndpoint, fixtureMethods);
  closers.push(() => { stop(); port1.close(); port2.close(); });
  return new WorkerClient<FixtureMethods>(() => port2 as unknown as WorkerEndpoint, { name: 'fixture', timeoutMs });
}

/** A client whose Worker is a real thread running the fixture; it counts the threads started. */
function inThread(): WorkerClient<FixtureMethods> {
  const client = new WorkerClient<FixtureMethods>(() => {
    const w = startNodeWorker(new URL('./worker.fixture.ts', import.meta.url), { workerData: { serveFixture: true } });
    closers.push(() => w.terminate?.());
    return w;
  }, { name: 'fixture' });
  return client;
}

describe('core/worker', () => {
  it('returns results, with transferred buffers arriving whole', async () => {
    const client = overChannel();
    await expect(client.call('echo', { text: 'frames' })).resolves.toBe('FRAMES');
    const { data } = await client.call('bytes', { n: 5 });
    expect([...data]).toEqual([7, 7, 7, 7, 7]);
  });

  it('reports progress with its detail, in order, before the result', async () => {
    const client = overChannel();
    const seen: string[] = [];
    const result = await client.call('count', { steps: 3, ms: 1 }, { onProgress: (done, total, detail) => seen.push(`${done}/${total}:${detail?.square}`) });
    expect(seen).toEqual(['1/3:1', '2/3:4', '3/3:9']);
    expect(result).toBe(3);
  });

  it('cancelling rejects at once with CancelledError, stops the method in the Worker, and the channel keeps working', async () => {
    const client = overChannel();
    const controller = new AbortController();
    aborted.length = 0;
    const running = client.call('count', { steps: 1000, ms: 5 }, { signal: controller.signal, onProgress: (done) => done === 2 && controller.abort() });
    await expect(running).rejects.toBeInstanceOf(CancelledError);
    await expect.poll(() => aborted).toEqual(['count at 3']);
    // An already aborted signal never reaches the Worker.
    await expect(client.call('echo', { text: 'x' }, { signal: controller.signal })).rejects.toBeInstanceOf(CancelledError);
    await expect(client.call('echo', { text: 'still here' })).resolves.toBe('STILL HERE');
  });

  it('a call past its time limit rejects with TimeoutError naming it, and is cancelled in the Worker', async () => {
    const client = overChannel(10_000);
    aborted.length = 0;
    const slow = client.call('count', { steps: 1000, ms: 5 }, { timeoutMs: 30 });
    await expect(slow).rejects.toBeInstanceOf(TimeoutError);
    await expect(slow).rejects.toThrow('fixture count did not finish within 30 ms');
    await expect.poll(() => aborted.length).toBe(1);
    // The client's own limit applies to calls that set none.
    await expect(overChannel(20).call('hang', undefined)).rejects.toBeInstanceOf(TimeoutError);
  });

  it('a named error thrown in the Worker arrives as the same class with its fields', async () => {
    const client = overChannel();
    const error = await client.call('fail', { part: 'decoder' }).catch((e) => e);
    expect(error).toBeInstanceOf(FixtureError);
    expect(error).toBeInstanceOf(NamedError);
    expect(error).toMatchObject({ name: 'FixtureError', code: 'fixture', message: 'the decoder broke', part: 'decoder' });
    const unknown = await client.call('nope' as 'echo', { text: '' }).catch((e) => e);
    expect(unknown).toBeInstanceOf(TypeError);
    expect(unknown.message).toBe('unknown method "nope"');
  });

  it('across a real thread: results, progress and named errors', async () => {
    const client = inThread();
    await expect(client.call('echo', { text: 'thread' })).resolves.toBe('THREAD');
    let last = 0;
    await client.call('count', { steps: 2, ms: 1 }, { onProgress: (done) => (last = done) });
    expect(last).toBe(2);
    await expect(client.call('fail', { part: 'thread' })).rejects.toBeInstanceOf(FixtureError);
  }, 20_000);

  it('a crashed Worker rejects every pending call with WorkerFailedError, and the next call starts a new one', async () => {
    const client = inThread();
    await expect(client.call('echo', { text: 'up' })).resolves.toBe('UP');
    const hanging = [client.call('hang', undefined), client.call('count', { steps: 1000, ms: 50 })];
    const crash = client.call('crash', undefined);
    for (const call of [...hanging, crash]) {
      const error = (await (call as Promise<unknown>).catch((e: Error) => e)) as Error;
      expect(error).toBeInstanceOf(WorkerFailedError);
      expect(error.message).toMatch(/^the fixture worker stopped unexpectedly: exited with code 3/);
    }
    expect(client.failure).toBeInstanceOf(WorkerFailedError);
    expect(client.starts).toBe(1);
    await expect(client.call('echo', { text: 'again' })).resolves.toBe('AGAIN');
    expect(client.starts).toBe(2);
    expect(client.failure).toBeNull();
  }, 20_000);
});
