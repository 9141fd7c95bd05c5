/**
 * The pipeline's prompts, as data the user may edit (saved with every pair
 * they made), and the reading of their replies. The query writer is the
 * Video-LLM itself, shown the preferred view: it writes the aligned question
 * and its false-premise rewrites when queries are not taken from templates.
 * The judge is a text LLM: it sees the aligned query, r+ and each candidate
 * r- with the rewrite it answered, and says which candidates show the
 * targeted kind of error and differ from r+.
 */
import type { Category, RewriteKind } from '../adversary/types';
import { NamedError } from '../core/errors';

export interface PipelinePrompts {
  /** The defaults' version (bumped when their text changes); 0 once the user edits either, so a pair says which prompts made it. */
  version: number;
  /** With {query}, {chosen}, {candidates} and {count} filled in. */
  judge: string;
  /** With {category}, {focus}, {kinds} and {count} filled in; the frames of the preferred view go with it. */
  query: string;
}

/** `prompts` with the defaults' version while both texts are the defaults, 0 once either is edited. */
export const withPromptsVersion = (prompts: PipelinePrompts): PipelinePrompts =>
  ({ ...prompts, version: prompts.judge === DEFAULT_PROMPTS.judge && prompts.query === DEFAULT_PROMPTS.query ? DEFAULT_PROMPTS.version : 0 });

/** What each category's questions are about, for the query writer. */
export const CATEGORY_FOCUS: Record<Category, string> = {
  spatial: 'where things are relative to each other at some moment (left or right, in front or behind, above or below, what is hidden)',
  temporal: 'the order of events, the direction of motion, what happens before or after something',
  'cross-frame': 'whether something seen early is the same thing seen later, whether it comes back, or how many distinct things appear over the whole video',
};

export const DEFAULT_PROMPTS: PipelinePrompts = {
  version: 2,
  query: [
    'You write questions about a video for a preference dataset. Its frames are attached, in order.',
    'Write one {category} question about this video: a question about {focus}. It must be answerable from the whole video and name things that are really in it.',
    'Then write {count} misleading versions of the same question, each resting on a false premise of the kind given:',
    '{kinds}',
    'Reply with JSON only, no other text: {"query": "the question", "rewrites": [{count} misleading questions, in the order of the kinds]}',
  ].join('\n'),
  judge: [
    'You check answers about a video for a preference dataset.',
    'Question about the video: "{query}"',
    'Reference answer, given from the full video: "{chosen}"',
    'Each candidate below answered a misleading version of the question from a few sparse frames. The kind of error it was meant to provoke is in brackets.',
    '{candidates}',
    'For each candidate, decide whether it makes that kind of error and differs in substance from the reference answer. Also decide whether the reference answer actually answers the question.',
    'Reply with JSON only, no other text: {"reference_ok": true or false, "keep": [one true or false per candidate, {count} in all]}',
  ].join('\n'),
};

export interface JudgeCandidate {
  kind: string;
  query: string;
  answer: string;
}

/** The judge prompt with its slots filled. */
export function judgePrompt(prompts: PipelinePrompts, query: string, chosen: string, candidates: readonly JudgeCandidate[]): string {
  const list = candidates.map((c, i) => `${i + 1}. [${c.kind}] misleading question: "${c.query}" answer: "${c.answer}"`).join('\n');
  const fill: Record<string, string> = { query, chosen, candidates: list, count: String(candidates.length) };
  return prompts.judge.replace(/\{(query|chosen|candidates|count)\}/g, (_, k: string) => fill[k]);
}

/** The query writer's prompt for `category`, asking for one rewrite of each of `kinds`. */
export function queryPrompt(prompts: PipelinePrompts, category: Category, kinds: readonly RewriteKind[]): string {
  const fill: Record<string, string> = { category, focus: CATEGORY_FOCUS[category], kinds: kinds.map((k, i) => `${i + 1}. ${k}`).join('\n'), count: String(kinds.length) };
  return prompts.query.replace(/\{(category|focus|kinds|count)\}/g, (_, k: string) => fill[k]);
}

/** The query writer's reply could not be read as the questions asked for. */
export class QueryReplyError extends NamedError {
  static override readonly errorName = 'QueryReplyError';
}

/** The first JSON object in `reply` (code fences and prose around it tolerated), or a named error of `make`. */
function firstJsonObject(reply: string, who: string, make: (message: string) => Error): unknown {
  const start = reply.indexOf('{');
  const end = reply.lastIndexOf('}');
  if (start < 0 || end < start) throw make(`${who} reply has no JSON object: "${reply.slice(0, 120)}"`);
  try {
    return JSON.parse(reply.slice(start, end + 1));
  } catch (e) {
    throw make(`${who} reply is not valid JSON (${(e as Error).message}): "${reply.slice(start, start + 120)}"`);
  }
}

export interface WrittenQueries {
  query: string;
  rewrites: string[];
}

/** Reads the query writer's reply: a non-empty question and `count` distinct non-empty rewrites, each unlike the question. */
export function parseQueryReply(reply: string, count: number): WrittenQueries {
  const v = firstJsonObject(reply, "the query writer's", (m) => new QueryReplyError(m)) as { query?: unknown; rewrites?: unknown };
  const query = typeof v.query === 'string' ? v.query.trim() : '';
  if (!query) throw new QueryReplyError('the query writer\'s reply has no non-empty "query"');
  if (!Array.isArray(v.rewrites) || v.rewrites.length !== count || !v.rewrites.every((x) => typeof x === 'string' && x.trim())) {
    throw new QueryReplyError(`the query writer's reply needs "rewrites" as ${count} non-empty strings, got ${JSON.stringify(v.rewrites)?.slice(0, 200)}`);
  }
  const rewrites = (v.rewrites as string[]).map((x) => x.trim());
  const norm = (x: string) => x.toLowerCase().replace(/\s+/g, ' ');
  if (new Set([query, ...rewrites].map(norm)).size !== count + 1) throw new QueryReplyError('the query writer\'s rewrites repeat each other or the question');
  return { query, rewrites };
}

/** The judge's reply could not be read as the verdict asked for. */
export class JudgeReplyError extends NamedError {
  static override readonly errorName = 'JudgeReplyError';
}

export interface JudgeVerdict {
  referenceOk: boolean;
  keep: boolean[];
}

/** Reads the first JSON object in `reply` (code fences and prose around it tolerated). */
export function parseJudgeReply(reply: string, count: number): JudgeVerdict {
  const v = firstJsonObject(reply, "the judge's", (m) => new JudgeReplyError(m)) as { reference_ok?: unknown; keep?: unknown };
  if (typeof v.reference_ok !== 'boolean') throw new JudgeReplyError('the judge\'s reply has no boolean "reference_ok"');
  if (!Array.isArray(v.keep) || v.keep.length !== count || !v.keep.every((x) => typeof x === 'boolean')) {
    throw new JudgeReplyError(`the judge's reply needs "keep" as ${count} booleans, got ${JSON.stringify(v.keep)}`);
  }
  return { referenceOk: v.reference_ok, keep: v.keep as boolean[] };
}
