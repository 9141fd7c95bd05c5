/**
 * The preferences the store keeps in localStorage, and how saved ones from
 * an older version are brought up to date. Saved state is never trusted: a
 * field of the wrong shape is dropped, so the store's default takes its place.
 *
 * Versions:
 *   0, 1  theme, selectedId, spec (sampler), maxSide
 *   2     adds view, the inspector (category, specs per category, slots,
 *         overlay, grid) and curation (projectId, currentPairId, filters)
 *   (2, later) adds the Evaluate view's inputs and last result (evalSeed,
 *         evalPerCategory, evalResult, evalMeta): new fields only, so older
 *         saved prefs take their defaults and no version change is needed
 *   (2, later) adds the Align view: its settings (alignGeneration,
 *         alignTraining, alignBenchmark, alignAblation), the current run's
 *         id, the last pair summary, before/after and ablation results, and
 *         the adapter switch (adapterOn); new fields only, as above
 */
import { type AdversarySpec, CATEGORIES, type Category, parseAdversarySpec } from '../../adversary';
import type { SamplingSpec } from '../../media/samplers';
import type { BenchmarkResult } from '../../eval';
import type { PairFilters } from '../../pairs';
import type { Theme, View } from './uiSlice';
import { DEFAULT_BENCHMARK, DEFAULT_GENERATION, DEFAULT_TRAIN, mergeSettings } from '../align/alignSettings';
import type { AblationState, AlignSlice, BeforeAfter } from './alignSlice';
import type { PairSummary } from '../workers/alignHost';
import { DEFAULT_PROMPTS, type PipelinePrompts } from '../../pipeline/prompts';
import { type ApiKeys, DEFAULT_ENDPOINT, DEFAULT_JUDGE, DEFAULT_RUN, type EndpointSettings, type JudgeSettings, type RunSettings, keysToKeep } from '../pipeline/pipelineSettings';

/** The version written now. */
export const PREFS_VERSION = 2;

export interface Prefs {
  theme: Theme;
  view: View;
  selectedId: string | null;
  spec: SamplingSpec;
  maxSide: number;
  category: Category;
  specs: Record<Category, AdversarySpec>;
  slots: Record<string, string>;
  overlay: boolean;
  grid: boolean;
  projectId: string | null;
  currentPairId: string | null;
  filters: PairFilters;
  evalSeed: number;
  evalPerCategory: number;
  evalResult: BenchmarkResult | null;
  evalMeta: { at: number; provider: string; ms: number } | null;
  alignGeneration: AlignSlice['alignGeneration'];
  alignTraining: AlignSlice['alignTraining'];
  alignBenchmark: AlignSlice['alignBenchmark'];
  alignAblation: AlignSlice['alignAblation'];
  alignRunId: string | null;
  pairSummary: PairSummary | null;
  beforeAfter: BeforeAfter | null;
  ablation: AblationState | null;
  adapterOn: boolean;
  pipelineEndpoint: EndpointSettings;
  pipelineJudge: JudgeSettings;
  pipelineRunSettings: RunSettings;
  /** Only the keys whose endpoint asks to remember them (keysToKeep); the others saved empty. */
  pipelineKeys: ApiKeys;
  pipelinePrompts: PipelinePrompts;
  pipelineDone: string[];
}

/** The persisted part of the store's state; a view that crashed is saved as the Library, so a reload does not reopen the crash. */
export const prefsOf = (s: Prefs & { crashedView?: View | null }): Prefs => ({
  theme: s.theme,
  view: s.crashedView === s.view ? 'library' : s.view,
  selectedId: s.selectedId,
  spec: s.spec,
  maxSide: s.maxSide,
  category: s.category,
  specs: s.specs,
  slots: s.slots,
  overlay: s.overlay,
  grid: s.grid,
  projectId: s.projectId,
  currentPairId: s.currentPairId,
  filters: s.filters,
  evalSeed: s.evalSeed,
  evalPerCategory: s.evalPerCategory,
  evalResult: s.evalResult,
  evalMeta: s.evalMeta,
  alignGeneration: s.alignGeneration,
  alignTraining: s.alignTraining,
  alignBenchmark: s.alignBenchmark,
  alignAblation: s.alignAblation,
  alignRunId: s.alignRunId,
  pairSummary: s.pairSummary,
  beforeAfter: s.beforeAfter,
  ablation: s.ablation,
  adapterOn: s.adapterOn,
  pipelineEndpoint: s.pipelineEndpoint,
  pipelineJudge: s.pipelineJudge,
  pipelineRunSettings: s.pipelineRunSettings,
  pipelinePrompts: s.pipelinePrompts,
  pipelineDone: s.pipelineDone,
  pipelineKeys: { endpoint: '', judge: '', ...keysToKeep(s.pipelineKeys ?? { endpoint: '', judge: '' }, s.pipelineEndpoint ?? DEFAULT_ENDPOINT, s.pipelineJudge ?? DEFAULT_JUDGE) },
});

const VIEWS: readonly View[] = ['library', 'ask', 'inspect', 'curate', 'align', 'evaluate', 'pipeline'];
const SAMPLING_MODES: readonly string[] = ['uniform', 'qwen-nframes', 'qwen-fps', 'dense', 'sparse'];
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const idOrNull = (v: unknown) => v === null || typeof v === 'string';

function adversarySpec(v: unknown, category: Category): AdversarySpec | undefined {
  try {
    const spec = parseAdversarySpec(JSON.stringify(v));
    return spec.category === category ? spec : undefined;
  } catch {
    return undefined;
  }
}

/** Each field's check: the value to keep, or undefined to drop it. */
const FIELDS: { [K in keyof Prefs]: (v: unknown) => Prefs[K] | undefined } = {
  theme: (v) => (v === 'light' || v === 'dark' ? v : undefined),
  view: (v) => (VIEWS.includes(v as View) ? (v as View) : undefined),
  selectedId: (v) => (idOrNull(v) ? (v as string | null) : undefined),
  spec: (v) => (isObject(v) && SAMPLING_MODES.includes(v.mode as string) ? (v as unknown as SamplingSpec) : undefined),
  maxSide: (v) => (Number.isInteger(v) && (v as number) > 0 ? (v as number) : undefined),
  category: (v) => (CATEGORIES.includes(v as Category) ? (v as Category) : undefined),
  // All three categories or none: the inspector reads every one.
  specs: (v) => {
    if (!isObject(v)) return undefined;
    const specs = Object.fromEntries(CATEGORIES.map((c) => [c, adversarySpec(v[c], c)]));
    return Object.values(specs).every(Boolean) ? (specs as Record<Category, AdversarySpec>) : undefined;
  },
  slots: (v) => (isObject(v) && Object.values(v).every((s) => typeof s === 'string') ? (v as Record<string, string>) : undefined),
  overlay: (v) => (typeof v === 'boolean' ? v : undefined),
  grid: (v) => (typeof v === 'boolean' ? v : undefined),
  projectId: (v) => (idOrNull(v) ? (v as string | null) : undefined),
  currentPairId: (v) => (idOrNull(v) ? (v as string | null) : undefined),
  filters: (v) => (isObject(v) ? (v as PairFilters) : undefined),
  evalSeed: (v) => (Number.isInteger(v) && (v as number) >= 0 ? (v as number) : undefined),
  evalPerCategory: (v) => (Number.isInteger(v) && (v as number) > 0 ? (v as number) : undefined),
  // A result is kept when every per-category table it is drawn from is there.
  evalResult: (v) => (v === null || (isObject(v) && ['n', 'accuracy', 'adversarial_accuracy', 'interval', 'adversarial_interval', 'chance'].every((k) => isObject(v[k])) && isObject(v.per_template)) ? (v as unknown as BenchmarkResult | null) : undefined),
  evalMeta: (v) => (v === null || (isObject(v) && typeof v.at === 'number' && typeof v.provider === 'string') ? (v as Prefs['evalMeta']) : undefined),
  // Settings merge over the defaults field by field, so a bad or missing field takes its default.
  alignGeneration: (v) => (isObject(v) ? mergeSettings(DEFAULT_GENERATION, v) : undefined),
  alignTraining: (v) => (isObject(v) ? mergeSettings(DEFAULT_TRAIN, v) : undefined),
  alignBenchmark: (v) => (isObject(v) ? mergeSettings(DEFAULT_BENCHMARK, v) : undefined),
  alignAblation: (v) => (isObject(v) ? mergeSettings({ seconds: 30, oraclePerCategory: 48, withOracle: true }, v) : undefined),
  alignRunId: (v) => (idOrNull(v) ? (v as string | null) : undefined),
  pairSummary: (v) => (v === null || (isObject(v) && isObject(v.perCategory) && typeof v.questions === 'number') ? (v as unknown as PairSummary | null) : undefined),
  beforeAfter: (v) => (v === null || (isObject(v) && isObject(v.settings)) ? (v as unknown as BeforeAfter | null) : undefined),
  ablation: (v) => (v === null || (isObject(v) && Array.isArray(v.plan) && isObject(v.outcomes)) ? (v as unknown as AblationState | null) : undefined),
  adapterOn: (v) => (typeof v === 'boolean' ? v : undefined),
  pipelineEndpoint: (v) => (isObject(v) ? mergeSettings(DEFAULT_ENDPOINT, v) : undefined),
  pipelineJudge: (v) => (isObject(v) ? mergeSettings(DEFAULT_JUDGE, v) : undefined),
  pipelineRunSettings: (v) => (isObject(v) ? mergeSettings(DEFAULT_RUN, v) : undefined),
  // Prompts saved before the query writer existed get its default.
  pipelinePrompts: (v) => (isObject(v) && typeof v.judge === 'string' && typeof v.version === 'number' ? { version: v.version, judge: v.judge, query: typeof v.query === 'string' ? v.query : DEFAULT_PROMPTS.query } : undefined),
  pipelineDone: (v) => (Array.isArray(v) && v.every((k) => typeof k === 'string') ? (v as string[]) : undefined),
  pipelineKeys: (v) => (isObject(v) ? { endpoint: typeof v.endpoint === 'string' ? v.endpoint : '', judge: typeof v.judge === 'string' ? v.judge : '' } : undefined),
};

/** The fields of `saved` that are valid now. */
function validFields(saved: Record<string, unknown>): Partial<Prefs> {
  const out: Record<string, unknown> = {};
  for (const [key, check] of Object.entries(FIELDS)) {
    const v = check(saved[key]);
    if (v !== undefined) out[key] = v;
  }
  return out as Partial<Prefs>;
}

/**
 * Brings prefs saved at `version` up to PREFS_VERSION. Versions 0 and 1 carry
 * their fields over (version 2 only added fields, which take their defaults);
 * prefs from a newer version than this app knows are dropped whole.
 */
export function migratePrefs(saved: unknown, version: number): Partial<Prefs> {
  if (!isObject(saved) || version > PREFS_VERSION) return {};
  return validFields(saved);
}

/** Saved prefs of the current version, checked field by field before the store takes them. */
export const checkPrefs = (saved: unknown): Partial<Prefs> => (isObject(saved) ? validFields(saved) : {});
