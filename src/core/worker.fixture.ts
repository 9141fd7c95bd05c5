/** Methods the protocol tests call, in a worker_threads Worker or over a MessageChannel. */
import { NamedError, registerErrors } from './errors';
import { workerData } from 'node:worker_threads';
import { parentEndpoint } from './nodeWorker';
import { type CallContext, serve, transfer } from './worker';

/** A named error of a test's own, with an extra field. */
export class FixtureError extends NamedError {
  static override readonly errorName = 'FixtureError';
  constructor(message: string, readonly part: string) { super(message); }
}
registerErrors(FixtureError);

const sleep = (ms: number, signal: AbortSignal) => new Promise<void>((resolve, reject) => {
  const timer = setTimeout(resolve, ms);
  signal.addEventListener('abort', () => { clearTimeout(timer); reject(new Error('aborted')); }, { once: true });
});

/** Aborted calls, so a test can see the host was told. */
export const aborted: string[] = [];

export const fixtureMethods = {
  echo: (request: { text: string }) => request.text.toUpperCase(),
  /** Counts to `steps`, reporting each step with its square as the detail. */
  count: async (request: { steps: number; ms: number }, ctx: CallContext<{ square: number }>) => {
    for (let i = 1; i <= request.steps; i++) {
      try {
        await sleep(request.ms, ctx.signal);
      } catch (e) {
        aborted.push(`count at ${i}`);
        throw e;
      }
      ctx.progress(i, request.steps, { square: i * i });
    }
    return request.steps;
  },
  fail: (request: { part: string }) => { throw new FixtureError(`the ${request.part} broke`, request.part); },
  bytes: (request: { n: number }) => {
    const data = new Uint8Array(request.n).fill(7);
    return transfer({ data }, [data.buffer]);
  },
  /** Ends the thread at once, as an out-of-memory crash would. */
  crash: () => process.exit(3),
  /** Never answers. */
  hang: () => new Promise<never>(() => {}),
};
export type FixtureMethods = typeof fixtureMethods;

// Served only in a Worker started for it (a test importing this module serves nothing).
if ((workerData as { serveFixture?: boolean } | null)?.serveFixture) serve(parentEndpoint(), fixtureMethods);
