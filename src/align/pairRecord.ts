import type { Category } from '../adversary/types';
import { type PreferencePair, makePair } from '../pairs';
import { TICKS } from '../synth';
import type { SelfPair } from './makePairs';
import { CANDIDATE_SOURCES, type PairRule } from './sources';
import { SPARSE_FPS, SYNTH_FPS, adversarySpecOf } from './views';

/** Which model made the answers: the pair's generator. */
export interface GeneratorRef {
  /** e.g. `pasta-tiny`. */
  model: string;
  /** The adapter applied while answering, or 'none'. */
  adapter: string;
}

const ADVERSARY_CATEGORY: Record<SelfPair['category'], Category> = { spatial: 'spatial', temporal: 'temporal', cross_frame: 'cross-frame' };

/**
 * A self-generated pair as the pair store's record (what Curate lists and the
 * exporters write): the scene as a video path under `synth/train/`, the
 * view's adversary spec, and provenance of the answers and of the rule that
 * kept the pair.
 */
export function selfPairRecord(p: SelfPair, generator: GeneratorRef, rule: PairRule, now = Date.now()): PreferencePair {
  const source = CANDIDATE_SOURCES[p.source];
  return makePair({
    id: p.id,
    category: ADVERSARY_CATEGORY[p.category],
    video: { path: `synth/train/${p.sceneSeed}`, duration_s: TICKS / SYNTH_FPS, native_fps: SYNTH_FPS },
    query: p.question.text,
    adversarial_query: p.adversarialQuery,
    chosen: p.chosen,
    rejected: p.rejected,
    sampling: {
      chosen: { mode: 'fps', value: SYNTH_FPS },
      rejected: { mode: 'fps', value: p.view === 'sparse' ? SPARSE_FPS : SYNTH_FPS },
      train: { mode: 'nframes', value: TICKS },
    },
    adversary: adversarySpecOf(p.view, ADVERSARY_CATEGORY[p.category], p.sceneSeed),
    generator: {
      kind: 'workbench',
      name: generator.model,
      details: { adapter: generator.adapter, template: p.template, scene_split: 'train', scene_seed: p.sceneSeed, source: p.source, view: p.view, source_kind: source.kind, answer: 'multiple choice (highest summed log-prob)', chosen_logp_gap: p.chosenLogpGap },
    },
    judge: { kind: 'workbench', name: `rule: ${rule.id}`, details: { rule: rule.text } },
    tags: ['self-generated', p.source, source.kind === 'paper' ? 'paper adversary' : 'visual extension'],
    notes: `${source.label}; kept by: ${rule.text}`,
  }, now);
}
