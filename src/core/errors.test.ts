import { expect, it } from 'vitest';
import { CancelledError, NamedError, codeOf, TimeoutError, WorkerFailedError, deserializeError, registerErrors, serializeError } from './errors';

class PartError extends NamedError {
  static override readonly errorName = 'PartError';
  constructor(readonly part: string, readonly size = 3) { super(`part ${part} is wrong`); }
}
registerErrors(PartError);

/** Through structured clone, as postMessage sends it. */
const roundTrip = (e: unknown) => deserializeError(structuredClone(serializeError(e)));

it('named errors come back as their own class, with code, message and plain fields', () => {
  const back = roundTrip(new PartError('lid', 5));
  expect(back).toBeInstanceOf(PartError);
  expect(back).toBeInstanceOf(NamedError);
  expect(back).toBeInstanceOf(Error);
  expect(back).toMatchObject({ name: 'PartError', code: 'part', message: 'part lid is wrong', part: 'lid', size: 5 });
  expect(serializeError(new PartError('lid'))).toEqual({ name: 'PartError', code: 'part', message: 'part lid is wrong', fields: { part: 'lid', size: 3 } });
  for (const cls of [CancelledError, WorkerFailedError, TimeoutError]) {
    const e = roundTrip(new cls());
    expect(e).toBeInstanceOf(cls);
    expect(e.name).toBe(cls.errorName);
  }
  expect(roundTrip(new CancelledError())).toMatchObject({ code: 'cancelled', message: 'cancelled' });
});

it('errors that are not ours keep their name and message; built-in classes come back as themselves', () => {
  expect(roundTrip(new TypeError('bad field'))).toBeInstanceOf(TypeError);
  const custom = new Error('odd');
  custom.name = 'DOMExceptionLike';
  expect(roundTrip(custom)).toMatchObject({ name: 'DOMExceptionLike', message: 'odd' });
  expect(serializeError('a string')).toEqual({ name: 'Error', code: 'internal', message: 'a string' });
  // A named error whose class this side never registered still says what it was.
  const stranger = deserializeError({ name: 'FarAwayError', code: 'far', message: 'from elsewhere' });
  expect(stranger).toBeInstanceOf(NamedError);
  expect(stranger).toMatchObject({ name: 'FarAwayError', code: 'far' });
});

it('codes follow from names', () => {
  expect(['EmptyFileError', 'UnsupportedCodecError', 'ParamOutOfRangeError', 'CancelledError', 'FeedError'].map(codeOf)).toEqual(['empty-file', 'unsupported-codec', 'param-out-of-range', 'cancelled', 'feed']);
});

it('names do not depend on class names a minifier may change, and each class must set its own', () => {
  class Renamed extends CancelledError {}
  expect(new Renamed().name).toBe('CancelledError');
  expect(() => registerErrors(Renamed)).toThrow(/must set its own static errorName/);
  class Twin extends NamedError { static override readonly errorName = 'CancelledError'; }
  expect(() => registerErrors(Twin)).toThrow(/two error classes are named CancelledError/);
});
