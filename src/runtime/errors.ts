/** A failure inside ONNX Runtime (session creation or a run), with what was being done. */
export class RuntimeError extends Error {
  override name = 'RuntimeError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** An ORT call that did not finish within its time limit. */
export class RuntimeTimeoutError extends RuntimeError {
  override name = 'RuntimeTimeoutError';
}

/** Feeds that do not match the model's inputs (missing, unknown, wrong shape or dtype). */
export class FeedError extends RuntimeError {
  override name = 'FeedError';
}

/** Resolves like `promise`, or rejects with RuntimeTimeoutError after `ms` naming `what`. */
export function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  if (!Number.isFinite(ms)) return promise;
  let timer: ReturnType<typeof setTimeout>;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new RuntimeTimeoutError(`${what} did not finish within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
