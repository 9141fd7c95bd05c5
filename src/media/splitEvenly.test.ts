import { expect, it } from 'vitest';
import { splitEvenly } from './decode';

const g = (...spans: number[]) => spans.map((span, i) => ({ span, id: i }));
const ids = (lanes: { id: number }[][]) => lanes.map((l) => l.map((x) => x.id));

it('keeps neighbouring groups together and balances cost', () => {
  expect(ids(splitEvenly(g(1, 1, 1, 1), 2))).toEqual([[0, 1], [2, 3]]);
  expect(ids(splitEvenly(g(3, 1, 1, 1), 2))).toEqual([[0], [1, 2, 3]]);
  expect(ids(splitEvenly(g(1, 1, 1, 1, 1, 1), 3))).toEqual([[0, 1], [2, 3], [4, 5]]);
});

it('never makes more lanes than groups, nor empty lanes', () => {
  expect(ids(splitEvenly(g(5), 2))).toEqual([[0]]);
  expect(ids(splitEvenly(g(0, 0), 4))).toEqual([[0], [1]]);
  expect(splitEvenly([], 2)).toEqual([[]]);
  for (const lanes of splitEvenly(g(9, 0, 0, 0, 0, 1), 3)) expect(lanes.length).toBeGreaterThan(0);
});
