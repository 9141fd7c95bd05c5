/**
 * The one Worker protocol: a page (or another Worker) calls methods that a
 * Worker declares as a map, `{ decode: (request, ctx) => ..., ... }`, and gets
 * a promise with progress, cancellation by AbortSignal, a time limit, and
 * named errors that come back as their own classes.
 *
 * Messages, all plain data (structured clone):
 *   caller -> host  { type: 'call', id, method, request }   { type: 'cancel', id }
 *   host -> caller  { type: 'progress', id, done, total, detail? }
 *                   { type: 'result', id, value }   { type: 'error', id, error }
 *
 * Both sides talk through a minimal endpoint (postMessage / onmessage, and
 * for a Worker onerror / terminate), so a browser Worker, a Worker's global
 * scope, a MessagePort and Node's worker_threads (behind a small adapter)
 * all fit.
 */
import { CancelledError, type SerializedError, TimeoutError, WorkerFailedError, deserializeError, serializeError } from './errors';

/** One side of a message channel: a MessagePort, a Worker's global scope. */
export interface MessageEndpoint {
  postMessage(message: unknown, transfer?: Transferable[]): void;
  onmessage: ((event: MessageEvent) => void) | null;
}

/** A Worker as its starter sees it: it can fail and be stopped. */
export interface WorkerEndpoint extends MessageEndpoint {
  /** A Worker fires it when its script fails to load or throws uncaught; ports never do. */
  onerror?: ((event: ErrorEvent) => void) | null;
  terminate?(): void;
}

/** What a method gets besides its request. */
export interface CallContext<Detail = never> {
  /** Aborted when the caller cancels or its time limit passes. */
  readonly signal: AbortSignal;
  /** Reports progress to the caller (`done` of `total`, with an optional detail such as metrics). */
  progress(done: number, total: number, detail?: Detail): void;
}

/** A method a Worker declares. `any` here only bounds the map; each declared method keeps its exact types. */
export type Method = (request: any, ctx: CallContext<any>) => unknown;

/** A result (or request) together with the buffers, ports or bitmaps to move rather than copy. */
export class Transferred<T> {
  constructor(readonly value: T, readonly transfer: Transferable[]) {}
}

/** Marks `value` to be sent with `list` transferred; duplicates are dropped (a transfer list must not name one twice). */
export function transfer<T>(value: T, list: Iterable<Transferable>): Transferred<T> {
  return new Transferred(value, [...new Set(list)]);
}

/** The request type of method `K`. */
export type RequestOf<M, K extends keyof M> = M[K] extends (request: infer R, ctx: never) => unknown ? R : never;
/** The result type of method `K`, unwrapped from its promise and `Transferred`. */
export type ResultOf<M, K extends keyof M> = M[K] extends (...args: never[]) => infer R ? (Awaited<R> extends Transferred<infer T> ? T : Awaited<R>) : never;
/** The progress detail type of method `K`. */
export type DetailOf<M, K extends keyof M> = M[K] extends (request: never, ctx: CallContext<infer D>) => unknown ? D : never;

type ToHost = { type: 'call'; id: number; method: string; request: unknown } | { type: 'cancel'; id: number };
type ToCaller =
  | { type: 'progress'; id: number; done: number; total: number; detail?: unknown }
  | { type: 'result'; id: number; value: unknown }
  | { type: 'error'; id: number; error: SerializedError };

/**
 * Serves `methods` on `endpoint` until the returned function is called. Each
 * call runs with its own AbortController; a thrown error goes back serialized;
 * a `Transferred` result moves its buffers.
 */
export function serve<M extends { [K in keyof M]: Method }>(endpoint: MessageEndpoint, methods: M): () => void {
  const running = new Map<number, AbortController>();
  const reply = (message: ToCaller, list: Transferable[] = []) => endpoint.postMessage(message, list);
  endpoint.onmessage = async (event: MessageEvent<ToHost>) => {
    const message = event.data;
    if (message.type === 'cancel') return running.get(message.id)?.abort();
    if (message.type !== 'call') return;
    const { id, method } = message;
    const fn = Object.hasOwn(methods, method) ? (methods[method as keyof M] as Method) : undefined;
    if (!fn) return reply({ type: 'error', id, error: serializeError(new TypeError(`unknown method "${method}"`)) });
    const controller = new AbortController();
    running.set(id, controller);
    const ctx: CallContext<unknown> = {
      signal: controller.signal,
      progress: (done, total, detail) => reply({ type: 'progress', id, done, total, ...(detail !== undefined && { detail }) }),
    };
    try {
      const out = await fn(message.request, ctx);
      if (out instanceof Transferred) reply({ type: 'result', id, value: out.value }, out.transfer);
      else reply({ type: 'result', id, value: out });
    } catch (error) {
      reply({ type: 'error', id, error: serializeError(error) });
    } finally {
      running.delete(id);
    }
  };
  return () => {
    endpoint.onmessage = null;
    for (const c of running.values()) c.abort();
    running.clear();
  };
}

/** Options of one call. */
export interface CallOptions<Detail = never> {
  /** Aborting rejects the call at once with CancelledError and tells the Worker to stop. */
  signal?: AbortSignal;
  onProgress?(done: number, total: number, detail?: Detail): void;
  /** Limit for this call, ms; past it the call rejects with TimeoutError and is cancelled. Default: the client's. */
  timeoutMs?: number;
  /** Buffers or ports in the request to move rather than copy. */
  transfer?: Transferable[];
}

/** Options of a client. */
export interface WorkerClientOptions {
  /** Named in errors ("the media worker stopped unexpectedly"). Default "worker". */
  name?: string;
  /** Limit per call, ms, unless a call sets its own. Default: none (Infinity). */
  timeoutMs?: number;
  /** Runs after each start (the first, and each replacement of a failed Worker), before the call that caused it is sent. */
  onStart?(endpoint: WorkerEndpoint): void;
}

interface Pending {
  resolve(value: unknown): void;
  reject(error: Error): void;
  onProgress?(done: number, total: number, detail?: unknown): void;
}

/**
 * The calling side. The Worker is started by `start` on the first call; when
 * it fails, every pending call rejects with WorkerFailedError and the next
 * call starts a new one.
 */
export class WorkerClient<M extends { [K in keyof M]: Method }> {
  private endpoint: WorkerEndpoint | null = null;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly name: string;
  /** How many Workers this client has started (a new one after each failure). */
  starts = 0;
  /** Why the last Worker stopped, until a new one starts. */
  failure: WorkerFailedError | null = null;

  constructor(private readonly start: () => WorkerEndpoint, private readonly options: WorkerClientOptions = {}) {
    this.name = options.name ?? 'worker';
  }

  /** The running endpoint, started now if there is none (or the last one failed). */
  connect(): WorkerEndpoint {
    if (this.endpoint) return this.endpoint;
    const endpoint = this.start();
    this.endpoint = endpoint;
    this.failure = null;
    this.starts++;
    endpoint.onmessage = (event: MessageEvent<ToCaller>) => this.onMessage(event.data);
    if ('onerror' in endpoint || endpoint.terminate) {
      endpoint.onerror = (event: ErrorEvent) => {
        if (this.endpoint !== endpoint) return;
        const detail = event?.message;
        this.fail(new WorkerFailedError(`the ${this.name} worker stopped unexpectedly${detail ? `: ${detail}` : ''}`));
      };
    }
    this.options.onStart?.(endpoint);
    return endpoint;
  }

  /** Calls `method` in the Worker. */
  call<K extends keyof M & string>(method: K, request: RequestOf<M, K>, options: CallOptions<DetailOf<M, K>> = {}): Promise<ResultOf<M, K>> {
    const { signal, onProgress, timeoutMs = this.options.timeoutMs ?? Infinity, transfer: list = [] } = options;
    if (signal?.aborted) return Promise.reject(new CancelledError());
    const endpoint = this.connect();
    const id = this.nextId++;
    return new Promise<ResultOf<M, K>>((resolve, reject) => {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const stop = (error: Error) => {
        if (!this.pending.delete(id)) return;
        endpoint.postMessage({ type: 'cancel', id } satisfies ToHost);
        settle();
        reject(error);
      };
      const onAbort = () => stop(new CancelledError());
      const settle = () => {
        signal?.removeEventListener('abort', onAbort);
        clearTimeout(timer);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      if (Number.isFinite(timeoutMs)) timer = setTimeout(() => stop(new TimeoutError(`${this.name} ${method} did not finish within ${timeoutMs} ms`)), timeoutMs);
      this.pending.set(id, {
        resolve: (v) => { settle(); resolve(v as ResultOf<M, K>); },
        reject: (e) => { settle(); reject(e); },
        onProgress: onProgress as Pending['onProgress'],
      });
      endpoint.postMessage({ type: 'call', id, method, request } satisfies ToHost, list);
    });
  }

  /** Rejects every pending call with `error` and stops the Worker; the next call starts a new one. */
  fail(error: WorkerFailedError): void {
    const endpoint = this.endpoint;
    this.endpoint = null;
    this.failure = error;
    if (endpoint) {
      endpoint.onmessage = null;
      endpoint.terminate?.();
    }
    const calls = [...this.pending.values()];
    this.pending.clear();
    for (const p of calls) p.reject(error);
  }

  private onMessage(message: ToCaller) {
    const pending = this.pending.get(message.id);
    if (!pending) return; // cancelled or timed out: late replies are dropped
    if (message.type === 'progress') return pending.onProgress?.(message.done, message.total, message.detail);
    this.pending.delete(message.id);
    if (message.type === 'result') pending.resolve(message.value);
    else pending.reject(deserializeError(message.error));
  }
}
