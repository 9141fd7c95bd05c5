import { describe, expect, it } from 'vitest';
import type { AdversarialView } from '../adversary/types';
import type { RgbaFrame } from '../core/frame';
import { timelineFromRate } from '../media/timeline';
import { checkCanonical } from '../pairs';
import type { Responder, ResponseRequest } from '../respond';
import { CATEGORY_FOCUS, DEFAULT_PROMPTS, JobQueue, JudgeReplyError, type JobContext, QueryReplyError, parseJudgeReply, parseQueryReply, planJobs, queryPrompt, runJob, withPromptsVersion } from '.';

const frame = (n: number): RgbaFrame => ({ width: 2, height: 2, data: new Uint8ClampedArray(16).fill(n % 256) });
const videos = [{ id: 'v1', path: 'clips/a.mp4' }, { id: 'v2', path: 'clips/b.mp4' }];

/** A responder that answers from the query and remembers what it was sent. */
function fakeResponder(answer: (req: ResponseRequest) => string, model = 'video-llm'): Responder & { asked: ResponseRequest[] } {
  const asked: ResponseRequest[] = [];
  return {
    label: model,
    asked,
    async respond(req) {
      asked.push(req);
      return { text: answer(req), tokens: null, provenance: { kind: 'endpoint', model, endpoint: 'http://127.0.0.1:9', videoAs: 'image_url', frames: req.frames.length, settings: {}, usage: { promptTokens: 10 * req.frames.length + 1, completionTokens: 2 } } };
    },
  };
}

function context(responder: Responder, judge?: Responder): JobContext & { views: AdversarialView[] } {
  const views: AdversarialView[] = [];
  return {
    views,
    source: async (v) => ({ id: v.id, path: v.path, timeline: timelineFromRate(0, 12, 30) }),
    frames: async (view) => {
      views.push(view);
      return { preferred: view.preferred.frames.map((f) => frame(f.index)), adversarial: view.adversarial.frames.map((f) => frame(f.index)) };
    },
    responder,
    judge,
    prompts: DEFAULT_PROMPTS,
    frameBudget: 8,
    now: () => 1000,
  };
}

describe('one pipeline job', () => {
  it('asks r+ on the preferred view and each rewrite on the sparse view; the judge keeps the targeted errors; records are canonical', async () => {
    const responder = fakeResponder((r) => (r.frames.length === 8 ? 'the person is behind the car' : `answer to ${r.query.slice(0, 12)}`));
    const judge = fakeResponder(() => 'Here you go:\n```json\n{"reference_ok": true, "keep": [true, false, true]}\n```', 'judge-llm');
    const ctx = context(responder, judge);
    const [job] = planJobs(videos, ['spatial'], 3);
    const result = await runJob(job, ctx);
    const view = ctx.views[0];
    expect(view.spec).toMatchObject({ category: 'spatial', recipe: 'paper.spatial', seed: 3, params: { budget: 8 } });
    // The frames each request carried are exactly the view's frames.
    expect(responder.asked[0].query).toBe(view.query.aligned);
    expect(responder.asked[0].frames).toHaveLength(view.preferred.frames.length);
    expect(responder.asked.slice(1).map((r) => r.query)).toEqual(view.query.rewrites.map((r) => r.text));
    for (const r of responder.asked.slice(1)) expect(r.frames).toHaveLength(view.adversarial.frames.length);
    expect(view.adversarial.frames.length).toBeLessThanOrEqual(8); // 12 s thinned to at most the budget
    expect(judge.asked[0].frames).toHaveLength(0);
    expect(judge.asked[0].query).toContain(view.query.aligned);
    expect(result.pairs).toHaveLength(2);
    expect(result.pairs.map((p) => p.adversarial_query)).toEqual([view.query.rewrites[0].text, view.query.rewrites[2].text]);
    for (const p of result.pairs) {
      expect(checkCanonical(JSON.parse(JSON.stringify(p)))).toEqual(p);
      expect(p).toMatchObject({ category: 'spatial', video: { path: 'clips/a.mp4', duration_s: 12 }, chosen: 'the person is behind the car', adversary: view.spec });
      expect(p.generator?.details).toMatchObject({ job: job.key, video_as: 'image_url', frames: view.adversarial.frames.length });
      expect(p.judge).toMatchObject({ kind: 'endpoint', name: 'judge-llm', details: { prompt: DEFAULT_PROMPTS.judge } });
    }
    expect(result.usage.promptTokens).toBe(responder.asked.concat(judge.asked).reduce((s, r) => s + 10 * r.frames.length + 1, 0));
  });

  it('keeps nothing when the judge says r+ is wrong, and without a judge keeps answers that differ from r+', async () => {
    const same = fakeResponder((r) => (r.query.length % 2 ? 'same answer' : 'Same answer!'));
    expect((await runJob(planJobs(videos, ['temporal'], 0)[0], context(same))).pairs).toHaveLength(0);
    const differ = fakeResponder((r) => `answer to ${r.query}`);
    const ruled = await runJob(planJobs(videos, ['temporal'], 0)[0], context(differ));
    expect(ruled.decidedBy).toBe('rule');
    expect(ruled.pairs).toHaveLength(3);
    expect(ruled.pairs[0].judge?.kind).toBe('workbench');
    const doubting = fakeResponder(() => '{"reference_ok": false, "keep": [true, true, true]}');
    expect((await runJob(planJobs(videos, ['cross-frame'], 0)[0], context(differ, doubting))).pairs).toHaveLength(0);
  });
});

describe('queries written by the endpoint', () => {
  const written = { query: 'Does the cyclist pass the bus before the light turns?', rewrites: ['Why does the cyclist pass the bus after it stops?', 'When the cyclist turns back, what does the bus do?', 'Which of the two cyclists passes the bus first?'] };

  it('asks the responder, with the preferred view, for the question and one rewrite per targeted kind; r+ and r- answer those; pairs say so', async () => {
    const responder = fakeResponder((r) => (r.query.startsWith('You write questions') ? `Here:\n${JSON.stringify(written)}` : `answer to ${r.query}`));
    const ctx = { ...context(responder), queries: 'endpoint' as const };
    const [job] = planJobs(videos, ['temporal'], 5);
    const result = await runJob(job, ctx);
    const view = ctx.views[0];
    const kinds = view.query.rewrites.map((r) => r.kind);
    const [writer, chosen, ...rejected] = responder.asked;
    expect(writer.query).toBe(queryPrompt(DEFAULT_PROMPTS, 'temporal', kinds));
    expect(writer.query).toContain(CATEGORY_FOCUS.temporal);
    kinds.forEach((k, i) => expect(writer.query).toContain(`${i + 1}. ${k}`));
    expect(writer.frames).toHaveLength(view.preferred.frames.length);
    expect(writer.settings).toEqual({ maxTokens: 384, temperature: 0 });
    expect(chosen.query).toBe(written.query);
    expect(chosen.frames).toHaveLength(view.preferred.frames.length);
    expect(rejected.map((r) => r.query)).toEqual(written.rewrites);
    for (const r of rejected) expect(r.frames).toHaveLength(view.adversarial.frames.length);
    expect(result.pairs).toHaveLength(3);
    result.pairs.forEach((p, i) => {
      expect(checkCanonical(JSON.parse(JSON.stringify(p)))).toEqual(p);
      expect(p).toMatchObject({ query: written.query, adversarial_query: written.rewrites[i], tags: ['pipeline', kinds[i]] });
      expect(p.generator?.details).toMatchObject({ template: 'endpoint-written', query_source: 'endpoint', query_prompt: DEFAULT_PROMPTS.query, prompt_version: DEFAULT_PROMPTS.version, rewrite_kind: kinds[i] });
    });
    // The writer's tokens count with the job's.
    expect(result.usage.promptTokens).toBe(responder.asked.reduce((s, r) => s + 10 * r.frames.length + 1, 0));
  });

  it('a reply that is not the questions asked for fails the job by name, before any answer is asked', async () => {
    const responder = fakeResponder(() => 'The video shows a street.');
    const [job] = planJobs(videos, ['spatial'], 0);
    await expect(runJob(job, { ...context(responder), queries: 'endpoint' })).rejects.toThrow(QueryReplyError);
    expect(responder.asked).toHaveLength(1);
  });

  it('the prompts keep the defaults\' version until either is edited', () => {
    expect(withPromptsVersion({ ...DEFAULT_PROMPTS, version: 0 }).version).toBe(DEFAULT_PROMPTS.version);
    expect(withPromptsVersion({ ...DEFAULT_PROMPTS, query: 'Ask about {category}.' }).version).toBe(0);
    expect(withPromptsVersion({ ...DEFAULT_PROMPTS, judge: 'Judge.' }).version).toBe(0);
  });

  it('reads the reply from prose or fences and names what is wrong', () => {
    expect(parseQueryReply(`\`\`\`json\n${JSON.stringify(written)}\n\`\`\``, 3)).toEqual(written);
    expect(() => parseQueryReply('{"query": "", "rewrites": ["a", "b", "c"]}', 3)).toThrow(/non-empty "query"/);
    expect(() => parseQueryReply('{"query": "q", "rewrites": ["a", "b"]}', 3)).toThrow(/3 non-empty strings/);
    expect(() => parseQueryReply('{"query": "q", "rewrites": ["a", "A", "b"]}', 3)).toThrow(/repeat/);
    expect(() => parseQueryReply('{"query": "q", "rewrites": ["q", "a", "b"]}', 3)).toThrow(/repeat/);
    expect(() => parseQueryReply('no json here', 3)).toThrow(QueryReplyError);
  });
});

describe('the judge reply', () => {
  it('is read from fences or prose, and a malformed one is named', () => {
    expect(parseJudgeReply('Sure! {"reference_ok": true, "keep": [false, true]} hope it helps', 2)).toEqual({ referenceOk: true, keep: [false, true] });
    expect(() => parseJudgeReply('I think the first one', 2)).toThrow(JudgeReplyError);
    expect(() => parseJudgeReply('{"reference_ok": true, "keep": [true]}', 2)).toThrow(/2 booleans/);
    expect(() => parseJudgeReply('{reference_ok: yes}', 1)).toThrow(/not valid JSON/);
  });
});

describe('the queue', () => {
  const jobs = planJobs([...videos, { id: 'v3', path: 'c.mp4' }], ['spatial', 'temporal'], 1);

  it('keeps at most `concurrency` in flight, goes on past a failure, and retries it', async () => {
    let inFlight = 0;
    let most = 0;
    let failOnce = true;
    const results: string[] = [];
    const failures: string[] = [];
    const queue = new JobQueue(jobs, {
      concurrency: 2,
      run: async (job) => {
        most = Math.max(most, ++inFlight);
        await new Promise((r) => setTimeout(r, 5));
        inFlight--;
        if (job.video.id === 'v2' && job.category === 'temporal' && failOnce) throw new Error('server died');
        return job.key;
      },
      onResult: (_, r) => results.push(r),
      onFailure: (job) => failures.push(job.key),
    });
    let p = await queue.run();
    expect(most).toBe(2);
    expect(p).toMatchObject({ total: 6, done: 5, failed: 1 });
    expect(failures).toEqual(['clips/b.mp4|temporal|1']);
    failOnce = false;
    queue.retryFailed();
    p = await queue.run();
    expect(p).toMatchObject({ done: 6, failed: 0 });
    expect(new Set(results).size).toBe(6);
  });

  it('pauses without starting new jobs, resumes, and a cancel aborts what runs', async () => {
    const started: string[] = [];
    const queue = new JobQueue(jobs, {
      concurrency: 1,
      run: (job, signal) => new Promise((resolve, reject) => {
        started.push(job.key);
        const t = setTimeout(() => resolve(job.key), 5);
        signal.addEventListener('abort', () => { clearTimeout(t); reject(signal.reason); });
      }),
    });
    const running = queue.run();
    queue.pause();
    await new Promise((r) => setTimeout(r, 30));
    expect(started).toHaveLength(1); // the one in flight finished, nothing new began
    queue.resume();
    await new Promise((r) => setTimeout(r, 8));
    queue.cancel();
    const p = await running;
    expect(p.done + p.failed).toBeLessThan(6);
    expect(p.failed).toBe(0); // cancelled jobs are not failures: a later run does them
  });

  it('has stable job keys, so a resumed run skips what is done', () => {
    const again = planJobs([...videos, { id: 'other-id', path: 'c.mp4' }], ['spatial', 'temporal'], 1);
    expect(again.map((j) => j.key)).toEqual(jobs.map((j) => j.key));
    const done = new Set(jobs.slice(0, 4).map((j) => j.key));
    expect(again.filter((j) => !done.has(j.key))).toHaveLength(2);
  });
});
