import type { RgbaFrame } from '../core/frame';
import { type LoadedModel, branchFeeds, branchScoreGraph, decodeCarry, decodeGraph, geometry, packAnswerBranches, packText, patchify, prefillGraph } from '../model';
import { type HostTensor, LoopSession, ModelSession, type OrtModule, type Provider } from '../runtime';

export interface BuiltinModelOptions {
  provider: Provider;
  /** Rows per scoring run: questions (with up to `scoreBranches` of their answers each) go through in batches of this. Default 16. */
  scoreRows?: number;
  /** Answers to one question scored in one row, as branches of it: its video and question are computed once for them. Default 4 (most multiple-choice questions' options). */
  scoreBranches?: number;
  /** Text slots for one question and one answer (the longest question plus the answer window); a row holds scoreBranches − 1 windows more. Default the config's maxText. */
  scoreSlots?: number;
  runTimeoutMs?: number;
  createTimeoutMs?: number;
}

/** One answer to score against one video's frames. */
export interface ScoreItem {
  frames: readonly RgbaFrame[];
  question: string;
  answer: string;
}

/** The log-probability of an answer: per word (and <eos>) and in total. */
export interface AnswerScore {
  logp: number;
  tokens: number[];
}

export interface Choice {
  /** The option with the highest log-probability. */
  choice: string;
  index: number;
  /** Each option's total log-probability, in the order given. */
  logps: number[];
}

export interface Generation {
  text: string;
  ids: number[];
  /** log p of each generated word under the model. */
  logps: number[];
}

const f32 = (shape: number[], data: Float32Array): HostTensor => ({ dtype: 'float32', shape, data });
const i32 = (shape: number[], data: Int32Array): HostTensor => ({ dtype: 'int32', shape, data });

/**
 * The built-in model on one ORT provider: scoring, multiple choice and
 * greedy generation with a key-value cache. The same class runs in Node
 * (CPU or WASM) and in the browser (WebGPU or WASM).
 */
export class BuiltinModel {
  private patchCache = new WeakMap<readonly RgbaFrame[], Float32Array>();
  /** Generation's sessions, made on the first `generate` (scoring alone never needs them). */
  private generator?: Promise<{ prefiller: ModelSession; decoder: LoopSession }>;

  private constructor(
    private readonly ort: OrtModule,
    readonly model: LoadedModel,
    private readonly scorer: ModelSession,
    private readonly options: BuiltinModelOptions,
    private readonly rows: number,
    private readonly branches: number,
    private readonly slots: number,
  ) {}

  static async create(ort: OrtModule, model: LoadedModel, options: BuiltinModelOptions): Promise<BuiltinModel> {
    const { scoreRows = 16, scoreBranches = 4, scoreSlots = model.config.maxText } = options;
    if (!Number.isInteger(scoreBranches) || scoreBranches < 1) throw new TypeError(`scoreBranches must be an integer of at least 1, got ${scoreBranches}`);
    const slots = scoreSlots + (scoreBranches - 1) * model.config.answerWindow;
    const scorer = await ModelSession.create(ort, branchScoreGraph(model, { rows: scoreRows, branches: scoreBranches, slots }), options);
    return new BuiltinModel(ort, model, scorer, options, scoreRows, scoreBranches, slots);
  }

  private generationSessions() {
    this.generator ??= (async () => {
      const { model, options, ort } = this;
      const prefiller = await ModelSession.create(ort, prefillGraph(model, { rows: 1 }), options);
      const decode = decodeGraph(model, { rows: 1 });
      const carried = new Set(Object.values(decodeCarry(model.config)));
      const empty = Object.fromEntries(decode.inputs.filter((i) => carried.has(i.name)).map((i) => [i.name, f32([...i.shape], new Float32Array(i.shape.reduce((a, b) => a * b, 1)))]));
      const decoder = await LoopSession.create(ort, decode, { ...options, carry: decodeCarry(model.config), initial: empty });
      return { prefiller, decoder };
    })();
    return this.generator;
  }

  get provider() {
    return this.scorer.provider;
  }

  /** One video's stem input [V, patchValues], computed once per frames array. */
  private patches(frames: readonly RgbaFrame[]): Float32Array {
    let p = this.patchCache.get(frames);
    if (!p) {
      const g = geometry(this.model.config);
      p = new Float32Array(g.visualTokens * g.patchValues);
      patchify(this.model.config, frames, p, 0);
      this.patchCache.set(frames, p);
    }
    return p;
  }

  /**
   * Log-probabilities of each item's answer given its frames and question.
   * Neighbouring items with the same frames (the same array) and question
   * share a row, up to `scoreBranches` of them; rows go in batches of `scoreRows`.
   */
  async score(items: readonly ScoreItem[]): Promise<AnswerScore[]> {
    const { config, tokenizer } = this.model;
    const g = geometry(config);
    const k = config.answerWindow;
    const groups: { frames: readonly RgbaFrame[]; question: string; items: number[] }[] = [];
    items.forEach((item, i) => {
      const last = groups.at(-1);
      if (last && last.frames === item.frames && last.question === item.question && last.items.length < this.branches) last.items.push(i);
      else groups.push({ frames: item.frames, question: item.question, items: [i] });
    });
    const out: AnswerScore[] = new Array(items.length);
    for (let start = 0; start < groups.length; start += this.rows) {
      const chunk = groups.slice(start, start + this.rows);
      const text = packAnswerBranches(config, tokenizer, chunk.map((c) => ({ question: c.question, answers: c.items.map((i) => items[i].answer) })), this.branches, this.rows, this.slots);
      const patches = new Float32Array(this.rows * g.visualTokens * g.patchValues);
      chunk.forEach((c, r) => patches.set(this.patches(c.frames), r * g.visualTokens * g.patchValues));
      const res = await this.scorer.run(branchFeeds(config, text, patches));
      const logp = res.logp.data as Float32Array;
      const tokens = res.token_logps.data as Float32Array;
      chunk.forEach((c, r) => c.items.forEach((i, b) => {
        const w = text.windows[b];
        const n = w.windowMask.subarray(r * k, (r + 1) * k).reduce((a, x) => a + x, 0);
        const at = (r * this.branches + b) * k;
        out[i] = { logp: Number(logp[r * this.branches + b]), tokens: Array.from(tokens.subarray(at, at + n)) };
      }));
    }
    return out;
  }

  /** Multiple choice: the option whose text (with <eos>) is most probable. */
  async choose(frames: readonly RgbaFrame[], question: string, options: readonly string[]): Promise<Choice> {
    const logps = (await this.score(options.map((answer) => ({ frames, question, answer })))).map((s) => s.logp);
    const index = logps.indexOf(Math.max(...logps));
    return { choice: options[index], index, logps };
  }

  /** Greedy generation of up to `maxWords` words (stopping at <eos> or when the text slots run out). */
  async generate(frames: readonly RgbaFrame[], question: string, maxWords = 8): Promise<Generation> {
    const { config, tokenizer } = this.model;
    const g = geometry(config);
    const text = packText(config, tokenizer, [{ question }], 1, config.maxText);
    const { prefiller, decoder } = await this.generationSessions();
    const pre = await prefiller.run({
      patches: f32([1, g.visualTokens, g.patchValues], this.patches(frames)),
      ids: i32([1, config.maxText], text.ids),
      text_mask: f32([1, config.maxText], text.textMask),
      last: i32([1], text.last),
    });
    const valid = new Float32Array(g.sequence);
    valid.fill(1, 0, g.visualTokens);
    valid.set(text.textMask, g.visualTokens);
    const caches: Record<string, HostTensor> = { valid: f32([1, g.sequence], valid) };
    for (let i = 0; i < config.layers; i++) Object.assign(caches, { [`k.${i}`]: pre[`k.${i}`], [`v.${i}`]: pre[`v.${i}`] });
    decoder.reset(caches);
    const ids: number[] = [];
    const logps: number[] = [];
    let logits = pre.logits.data as Float32Array;
    let position = text.last[0] + 1;
    while (ids.length < maxWords) {
      const { id, logp } = argmaxLogp(logits);
      if (id === tokenizer.eosId) break;
      ids.push(id);
      logps.push(logp);
      if (ids.length >= maxWords || position >= g.sequence) break;
      const step = await decoder.step({ ids: i32([1], Int32Array.of(id)), position: i32([1], Int32Array.of(position++)) });
      logits = step.logits.data as Float32Array;
    }
    return { text: tokenizer.decode(ids), ids, logps };
  }

  async release() {
    await this.scorer.release();
    if (this.generator) {
      const { prefiller, decoder } = await this.generator;
      await prefiller.release();
      await decoder.release();
    }
  }
}

/** The most likely word other than <pad> (id 0, never a word to say) and its log-probability under softmax(logits). */
function argmaxLogp(logits: Float32Array): { id: number; logp: number } {
  let id = 1;
  for (let i = 2; i < logits.length; i++) if (logits[i] > logits[id]) id = i;
  let sum = 0;
  for (let i = 0; i < logits.length; i++) sum += Math.exp(logits[i] - logits[id]);
  return { id, logp: -Math.log(sum) };
}
