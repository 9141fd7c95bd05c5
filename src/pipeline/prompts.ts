/**
 * The judge's prompt, as data the user may edit (saved with every pair it
 * judged), and the reading of its reply. The judge is a text LLM: it sees the
 * aligned query, r+ and each candidate r- with the rewrite it answered, and
 * says which candidates show the targeted kind of error and differ from r+.
 */
import { NamedError } from '../core/errors';

export interface PipelinePrompts {
  /** Bumped when the default text changes, so a pair says which judge prompt judged it. */
  version: number;
  /** With {query}, {chosen}, {candidates} and {count} filled in. */
  judge: string;
}

export const DEFAULT_PROMPTS: PipelinePrompts = {
  version: 1,
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
  const start = reply.indexOf('{');
  const end = reply.lastIndexOf('}');
  if (start < 0 || end < start) throw new JudgeReplyError(`the judge's reply has no JSON object: "${reply.slice(0, 120)}"`);
  let value: unknown;
  try {
    value = JSON.parse(reply.slice(start, end + 1));
  } catch (e) {
    throw new JudgeReplyError(`the judge's reply is not valid JSON (${(e as Error).message}): "${reply.slice(start, start + 120)}"`);
  }
  const v = value as { reference_ok?: unknown; keep?: unknown };
  if (typeof v.reference_ok !== 'boolean') throw new JudgeReplyError('the judge\'s reply has no boolean "reference_ok"');
  if (!Array.isArray(v.keep) || v.keep.length !== count || !v.keep.every((x) => typeof x === 'boolean')) {
    throw new JudgeReplyError(`the judge's reply needs "keep" as ${count} booleans, got ${JSON.stringify(v.keep)}`);
  }
  return { referenceOk: v.reference_ok, keep: v.keep as boolean[] };
}
