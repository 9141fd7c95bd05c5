import type { Category } from '../adversary/types';
import { type PreferencePair, makePair } from '../pairs';
import { TICKS } from '../synth';
import type { SelfPair } from './makePairs';
import { CANDIDATE_SOURCES, type CandidateSource, type PairRule } from './sources';
import { ORACLE_SOURCE } from './oraclePairs';
import { SPARSE_FPS, SYNTH_FPS, adversarySpecOf } from './views';

/** Which model made the answers: the pair's generator. */
export interface GeneratorRef {
  /** e.g. `pasta-tiny`. */
  model: string;
  /** The adapter applied while answering, or 'none'. */
  adapter: string;
}

/** How oracle pairs are labelled in the store: made from ground truth, an upper bound and never self-generated. */
const ORACLE = { id: ORACLE_SOURCE, kind: 'oracle' as const, label: 'ORACLE (ground truth): r+ the true answer, r- another option; an upper bound, not annotation-free' };

const ADVERSARY_CATEGORY: Record<SelfPair['category'], Category> = { spatial: 'spatial', temporal: 'temporal', cross_frame: 'cross-frame' };

/**
 * A self-generated pair as the pair store's record (what Curate lists and the
 * exporters write): the scene as a video path under `synth/train/`, the
 * view's adversary spec, and provenance of the answers and of the rule that
 * kept the pair.
 */
export function selfPairRecord(p: SelfPair, generator: GeneratorRef, rule: PairRule, now = Date.now()): PreferencePair {
  const source: { kind: CandidateSource['kind'] | 'oracle'; label: string } | undefined = CANDIDATE_SOURCES[p.source] ?? (p.source === ORACLE_SOURCE ? ORACLE : undefined);
  if (!source) throw new TypeError(`pair ${p.id}: unknown source "${p.source}"`);
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
    generator: source.kind === 'oracle'
      ? { kind: 'workbench', name: 'synthetic world ground truth', details: { template: p.template, scene_split: 'train', scene_seed: p.sceneSeed, source: p.source } }
      : {
          kind: 'workbench',
          name: generator.model,
          details: { adapter: generator.adapter, template: p.template, scene_split: 'train', scene_seed: p.sceneSeed, source: p.source, view: p.view, source_kind: source.kind, answer: 'multiple choice (highest summed log-prob)', chosen_logp_gap: p.chosenLogpGap },
        },
    judge: source.kind === 'oracle' ? { kind: 'workbench', name: 'ground truth (oracle)' } : { kind: 'workbench', name: `rule: ${rule.id}`, details: { rule: rule.text } },
    tags: source.kind === 'oracle' ? ['oracle', 'ground truth'] : ['self-generated', p.source, source.kind === 'paper' ? 'paper adversary' : 'visual extension'],
    notes: source.kind === 'oracle' ? source.label : `${source.label}; kept by: ${rule.text}`,
  }, now);
}
