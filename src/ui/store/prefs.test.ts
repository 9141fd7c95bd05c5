import { expect, it } from 'vitest';
import { defaultSpec } from '../../adversary';
import { DEFAULT_ENDPOINT, DEFAULT_JUDGE } from '../pipeline/pipelineSettings';
import { PREFS_VERSION, checkPrefs, migratePrefs, prefsOf } from './prefs';

const specs = { spatial: defaultSpec('spatial'), temporal: defaultSpec('temporal'), 'cross-frame': defaultSpec('cross-frame') };

it('version 1 prefs carry over; the fields version 2 added are left to their defaults', () => {
  const v1 = { theme: 'dark', selectedId: 'a.mp4:1:2', spec: { mode: 'qwen-fps', fps: 2 }, maxSide: 160 };
  expect(migratePrefs(v1, 1)).toEqual(v1);
  expect(migratePrefs(v1, 0)).toEqual(v1);
  expect(PREFS_VERSION).toBe(2);
});

it('fields of the wrong shape are dropped, the rest kept', () => {
  const saved = { theme: 'purple', view: 'curate', maxSide: -3, spec: { mode: 'nope' }, category: 'temporal', specs, grid: 'yes', overlay: true, slots: { object: 'cup' }, projectId: null, filters: { status: 'accepted' } };
  expect(migratePrefs(saved, 1)).toEqual({ view: 'curate', category: 'temporal', specs, overlay: true, slots: { object: 'cup' }, projectId: null, filters: { status: 'accepted' } });
  // An inspector spec under the wrong category (or one missing) drops the whole set.
  expect(checkPrefs({ specs: { ...specs, spatial: defaultSpec('temporal') } })).toEqual({});
  expect(checkPrefs({ specs: { spatial: specs.spatial } })).toEqual({});
});

it('prefs from a newer version, or not an object at all, are dropped whole', () => {
  expect(migratePrefs({ theme: 'dark' }, PREFS_VERSION + 1)).toEqual({});
  expect(migratePrefs('dark', 1)).toEqual({});
  expect(checkPrefs(null)).toEqual({});
});

it('the Evaluate view’s inputs and last result are kept when whole, dropped when not', () => {
  const result = { seed: 1, n: {}, chance: {}, accuracy: {}, adversarial_accuracy: {}, interval: {}, adversarial_interval: {}, adversarial_view: {}, per_template: {} };
  const meta = { at: 1, provider: 'wasm', ms: 2 };
  expect(checkPrefs({ view: 'evaluate', evalSeed: 7, evalPerCategory: 8, evalResult: result, evalMeta: meta })).toEqual({ view: 'evaluate', evalSeed: 7, evalPerCategory: 8, evalResult: result, evalMeta: meta });
  expect(checkPrefs({ view: 'ask', evalSeed: -1, evalPerCategory: 0, evalResult: { seed: 1 }, evalMeta: { at: 'x' } })).toEqual({ view: 'ask' });
  expect(checkPrefs({ evalResult: null, evalMeta: null })).toEqual({ evalResult: null, evalMeta: null });
});

it('an API key is saved only for an endpoint that asks to remember it', () => {
  const state = { pipelineEndpoint: { ...DEFAULT_ENDPOINT, model: 'm', rememberKey: false }, pipelineJudge: { ...DEFAULT_JUDGE, sameAsEndpoint: false, rememberKey: true }, pipelineKeys: { endpoint: 'sk-endpoint', judge: 'sk-judge' } };
  const saved = prefsOf(state as unknown as Parameters<typeof prefsOf>[0]);
  expect(saved.pipelineKeys).toEqual({ endpoint: '', judge: 'sk-judge' });
  expect(JSON.stringify(saved)).not.toContain('sk-endpoint');
  // Saved settings merge over the defaults; a bad field takes its default.
  expect(checkPrefs({ pipelineEndpoint: { model: 'm', concurrency: 'four' } }).pipelineEndpoint).toEqual({ ...DEFAULT_ENDPOINT, model: 'm' });
});
