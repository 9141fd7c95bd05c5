import { expect, it } from 'vitest';
import { parseParam } from './samplerParam';

const frames = { label: 'frames', min: 1, max: 1024, step: 1 };
const fps = { label: 'fps', min: 0.1, max: 60, step: 0.5 };

it('out-of-range, empty and fractional input is named with what is allowed; good input passes', () => {
  expect(parseParam('0', frames)).toEqual({ error: '0 is out of range: 1 to 1024 frames' });
  expect(parseParam('-3', frames)).toEqual({ error: '-3 is out of range: 1 to 1024 frames' });
  expect(parseParam('5000', frames)).toEqual({ error: '5000 is out of range: 1 to 1024 frames' });
  expect(parseParam('', frames)).toEqual({ error: 'enter a whole number of frames from 1 to 1024' });
  expect(parseParam('2.5', frames)).toEqual({ error: 'frames must be a whole number: 1 to 1024 frames' });
  expect(parseParam('32', frames)).toEqual({ value: 32 });
  expect(parseParam('0.25', fps)).toEqual({ value: 0.25 });
  expect(parseParam('61', fps)).toEqual({ error: '61 is out of range: 0.1 to 60 fps' });
});
