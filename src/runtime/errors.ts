/**
 * Named errors of ONNX Runtime work. They build on core's NamedError and are
 * registered, so a failure in the model Worker arrives as its own class.
 */
import { NamedError, registerErrors } from '../core/errors';

/** A failure inside ONNX Runtime (session creation or a run), with what was being done. */
export class RuntimeError extends NamedError {
  static override readonly errorName: string = 'RuntimeError';
}

/** An ORT call that did not finish within its time limit. */
export class RuntimeTimeoutError extends RuntimeError {
  static override readonly errorName = 'RuntimeTimeoutError';
}

/** Feeds that do not match the model's inputs (missing, unknown, wrong shape or dtype). */
export class FeedError extends RuntimeError {
  static override readonly errorName = 'FeedError';
}

registerErrors(RuntimeError, RuntimeTimeoutError, FeedError);

/** Resolves like `promise`, or rejects with RuntimeTimeoutError after `ms` naming `what`. */
export function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  if (!Number.isFinite(ms)) return promise;
  let timer: ReturnType<typeof setTimeout>;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new RuntimeTimeoutError(`${what} did not finish within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
