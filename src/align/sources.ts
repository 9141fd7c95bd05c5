/**
 * Where r- candidates come from, and the rule that keeps them: plain data, so
 * a UI can list the sources of each category and show the filter as written.
 */
import type { SynthCategory, SynthQuestion } from '../synth';
import type { PairView } from './views';

/** How a candidate's query relates to the aligned one. */
export type CandidateQuery = 'aligned' | 'swapped roles';

export interface CandidateSource {
  id: string;
  view: PairView;
  query: CandidateQuery;
  /** `paper`: VideoPASTA's own adversary (sparse view, misleading query); `extension`: our visual views, labelled as such. */
  kind: 'paper' | 'extension';
  label: string;
}

export const CANDIDATE_SOURCES: Record<string, CandidateSource> = {
  mirrored: { id: 'mirrored', view: 'mirrored', query: 'aligned', kind: 'extension', label: 'aligned query on the mirrored view (left and right exchanged)' },
  reversed: { id: 'reversed', view: 'reversed', query: 'aligned', kind: 'extension', label: 'aligned query on the time-reversed view' },
  frozen: { id: 'frozen', view: 'frozen', query: 'aligned', kind: 'extension', label: 'aligned query on the frozen view (the middle frame held throughout)' },
  sparse: { id: 'sparse', view: 'sparse', query: 'aligned', kind: 'paper', label: 'aligned query on the sparse 1 fps view' },
  'sparse+swapped': { id: 'sparse+swapped', view: 'sparse', query: 'swapped roles', kind: 'paper', label: 'direction-flip rewrite (further left asked as further right, higher as further down) on the sparse 1 fps view' },
};

/**
 * Sources per category, in order (the first source to give a rejected answer
 * keeps it): the view that breaks the category's skill, then the paper's.
 * The general control set makes no pairs: it is what alignment must not hurt.
 */
export const DEFAULT_SOURCES: Record<Exclude<SynthCategory, 'general'>, readonly string[]> = {
  spatial: ['mirrored', 'sparse+swapped', 'sparse'],
  temporal: ['reversed', 'sparse'],
  cross_frame: ['frozen', 'sparse'],
};

/** The relation words of the spatial "which is ... the X or the Y" templates and their opposites (in the model's vocabulary). */
const OPPOSITE: Record<string, string> = { 'further left': 'further right', higher: 'further down' };
const RELATION = /^(.+) which is (further left|higher) the (.+) or the (.+) \?$/;

/**
 * The direction-flip rewrite of a question, in the model's own words: the
 * relation of a "which is further left / higher" question turned round, so its
 * answer is the other object. Undefined where the template has none.
 * Read from the question text alone (no scene state).
 */
export function swappedRoles(question: Pick<SynthQuestion, 'text'>): string | undefined {
  const m = RELATION.exec(question.text);
  return m ? `${m[1]} which is ${OPPOSITE[m[2]]} the ${m[3]} or the ${m[4]} ?` : undefined;
}

/**
 * The filter a candidate passes to become a pair. Ground truth is not an
 * input: only the model's own answers and log-probs are.
 */
export interface PairRule {
  id: string;
  /** The rule as the UI shows it. */
  text: string;
  /** Keep a candidate only if its answer differs from r+. */
  differsFromChosen: true;
  /** Keep a question only if r+ beats the runner-up option by at least this much log-prob on the preferred view (0: every question). */
  minChosenLogpGap: number;
  /** At most one pair per question and rejected answer (the first source in order keeps it). */
  uniqueRejected: true;
}

export function pairRule(minChosenLogpGap = 0): PairRule {
  const gap = minChosenLogpGap > 0 ? `, r+ at least ${minChosenLogpGap} nats more likely than the next option on the preferred view` : '';
  return {
    id: minChosenLogpGap > 0 ? `differs-from-chosen+gap-${minChosenLogpGap}` : 'differs-from-chosen',
    text: `keep a candidate only if the model's answer on the adversarial view or query differs from its answer r+ on the preferred view${gap}; one pair per question and rejected answer; ground truth is never used`,
    differsFromChosen: true,
    minChosenLogpGap,
    uniqueRejected: true,
  };
}
