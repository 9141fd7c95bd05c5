import { expect, it } from 'vitest';
import { formatDuration, rotationLabel, timeLeft } from './format';

it('durations read as players show them, h:mm:ss from an hour on', () => {
  expect(formatDuration(3600.0333)).toBe('1:00:00');
  expect(formatDuration(3599.9964)).toBe('1:00:00');
  expect(formatDuration(5025.4)).toBe('1:23:45');
  expect(formatDuration(39.9)).toBe('39.90 s');
  expect(formatDuration(125.25)).toBe('2:05.3');
});

it('rotation reads as ffprobe prints it, with the way it turns', () => {
  expect([0, 90, 180, 270].map(rotationLabel)).toEqual(['0°', '-90° (turns 90° clockwise)', '-180° (turns 180° clockwise)', '90° (turns 90° counter-clockwise)']);
});

it('time left follows the rate so far', () => {
  expect(timeLeft({ done: 0, total: 10, startedAt: 0 }, 5000)).toBe('');
  expect(timeLeft({ done: 10, total: 40, startedAt: 0 }, 4000)).toBe(', about 12 s left');
  expect(timeLeft({ done: 39, total: 40, startedAt: 0 }, 3900)).toBe(', under a second left');
  expect(timeLeft({ done: 1, total: 100, startedAt: 0 }, 2000)).toBe(', about 3:18.0 left');
});
