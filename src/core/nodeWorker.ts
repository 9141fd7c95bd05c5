/**
 * Node's worker_threads behind the protocol's endpoints, so tests and
 * scripts run the same Worker hosts the browser runs. Not used by the app.
 */
import { Worker, parentPort } from 'node:worker_threads';
import type { MessageEndpoint, WorkerEndpoint } from './worker';

/**
 * Starts the TypeScript module at `module` (a file URL) in a worker_threads
 * Worker, compiled on the fly by tsx. An uncaught error or an exit the
 * caller did not ask for arrives as `onerror`, as a crashed browser Worker's does.
 */
export function startNodeWorker(module: URL, options: { workerData?: unknown } = {}): WorkerEndpoint {
  const boot = `import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(module.href)}); })`;
  const worker = new Worker(boot, { eval: true, workerData: options.workerData });
  let stopped = false;
  const endpoint: WorkerEndpoint = {
    postMessage: (message, transfer) => worker.postMessage(message, transfer as never),
    onmessage: null,
    onerror: null,
    terminate: () => {
      stopped = true;
      void worker.terminate();
    },
  };
  worker.on('message', (data) => endpoint.onmessage?.({ data } as MessageEvent));
  worker.on('error', (error) => endpoint.onerror?.({ message: error.message } as ErrorEvent));
  worker.on('exit', (code) => {
    if (!stopped) endpoint.onerror?.({ message: `exited with code ${code}` } as ErrorEvent);
  });
  return endpoint;
}

/** Inside a worker_threads Worker: the port to whoever started it. */
export function parentEndpoint(): MessageEndpoint {
  if (!parentPort) throw new TypeError('parentEndpoint() called outside a worker_threads Worker');
  return parentPort as unknown as MessageEndpoint;
}
