/**
 * The base of our named errors and their trip across a Worker (or into
 * storage). Every named error has a stable `name` set on its class (never
 * taken from the class's JavaScript name, which a minifier renames) and a
 * `code` derived from it. A class registered with `registerErrors` comes back from
 * `deserializeError` as the same class, so `instanceof` works on both sides.
 */

/** What a serialized error's extra fields may hold: plain values that clone anywhere. */
export type ErrorField = string | number | boolean | null;

/** An error as plain data: crosses `postMessage`, goes into IndexedDB or JSON. */
export interface SerializedError {
  /** The class name, e.g. `EmptyFileError` (or a built-in's, e.g. `TypeError`). */
  name: string;
  /** The stable kind, e.g. `empty-file`; `internal` for errors that are not ours. */
  code: string;
  message: string;
  /** The error's own extra fields with plain values (e.g. `codec`, `field`). */
  fields?: Record<string, ErrorField>;
}

/** The code of an error name: `UnsupportedCodecError` -> `unsupported-codec`. */
export const codeOf = (errorName: string) =>
  errorName.replace(/Error$/, '').replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase();

/**
 * Base class of our named errors. Each subclass sets the static `errorName`
 * its instances carry as `name`; their `code` follows from it (`codeOf`).
 */
export class NamedError extends Error {
  static readonly errorName: string = 'NamedError';
  /** The stable kind, e.g. `empty-file`: what code (and storage) compares. */
  readonly code: string;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = (new.target as typeof NamedError).errorName;
    this.code = codeOf(this.name);
  }
}

/** The operation was cancelled (by the user, or because a newer request replaced it). */
export class CancelledError extends NamedError {
  static override readonly errorName = 'CancelledError';
  constructor(message = 'cancelled') { super(message); }
}

/** A Worker stopped (failed to load, crashed, ran out of memory); calls in flight are lost. */
export class WorkerFailedError extends NamedError {
  static override readonly errorName = 'WorkerFailedError';
  constructor(message = 'the worker stopped unexpectedly') { super(message); }
}

/** A call did not finish within its time limit. */
export class TimeoutError extends NamedError {
  static override readonly errorName = 'TimeoutError';
  constructor(message = 'timed out') { super(message); }
}

type ErrorClass = abstract new (...args: never[]) => Error;
type NamedErrorClass = typeof NamedError & ErrorClass;

const registry = new Map<string, ErrorClass>();
// Built-in classes come back as themselves; their messages are all they carry.
for (const cls of [Error, TypeError, RangeError, SyntaxError, ReferenceError]) registry.set(cls.name, cls);

/**
 * Makes `classes` come back from `deserializeError` as themselves. Call it
 * beside the classes' definitions, so both sides of a Worker that import them
 * know them. Throws when a class did not set its own `errorName` or when a
 * different class already took the name.
 */
export function registerErrors(...classes: NamedErrorClass[]): void {
  for (const cls of classes) {
    if (!Object.hasOwn(cls, 'errorName')) throw new TypeError(`an error class extending ${Object.getPrototypeOf(cls).errorName} must set its own static errorName`);
    const known = registry.get(cls.errorName);
    if (known && known !== cls) throw new TypeError(`two error classes are named ${cls.errorName}`);
    registry.set(cls.errorName, cls);
  }
}
registerErrors(NamedError, CancelledError, WorkerFailedError, TimeoutError);

const SKIPPED = new Set(['name', 'code', 'message', 'stack', 'cause']);
const isField = (v: unknown): v is ErrorField => v === null || ['string', 'number', 'boolean'].includes(typeof v);

/** The error as plain data; anything thrown (a string, an object) becomes an `internal` Error. */
export function serializeError(error: unknown): SerializedError {
  const e = error instanceof Error ? error : new Error(String(error));
  const code = e instanceof NamedError ? e.code : 'internal';
  const fields: Record<string, ErrorField> = {};
  for (const [k, v] of Object.entries(e)) if (!SKIPPED.has(k) && isField(v)) fields[k] = v;
  return { name: e.name, code, message: e.message, ...(Object.keys(fields).length && { fields }) };
}

/**
 * Rebuilds the error: the registered class of that name (without running its
 * constructor, so any constructor signature works), with its message, code
 * and fields. An unknown name becomes a NamedError (ours) or an Error (not
 * ours) that keeps the name.
 */
export function deserializeError(s: SerializedError): Error {
  const cls = registry.get(s.name) ?? (s.code === 'internal' ? Error : NamedError);
  // Reflect.construct with Error makes a real Error (stack, structured-clone
  // behaviour) whose prototype is the registered class's.
  const e = Reflect.construct(Error, [s.message], cls) as Error & { code?: string };
  e.name = s.name;
  if (s.code !== 'internal' || e instanceof NamedError) Object.defineProperty(e, 'code', { value: s.code, enumerable: true });
  for (const [k, v] of Object.entries(s.fields ?? {})) Object.defineProperty(e, k, { value: v, enumerable: true });
  return e;
}
