/**
 * PASTA-tiny, the built-in video-language model, in one file read top to bottom:
 *
 *   frames ─► patch stem ─► visual tokens (+ spatial and temporal positions)
 *   words  ─► embeddings (+ text positions)
 *   [visual ; question ; answer] ─► pre-norm causal transformer ─► next-word logits
 *
 * Every function builds graph values with the compiler (graph/, nn/); the
 * graphs are run by the runtime layer. Parameter names are the names in the
 * safetensors file, so loading is an identity map plus shape checks.
 */
import { GraphBuildError, type Graph, type Value } from '../graph';
import { MASKED_SCORE, type NN, type SequenceLogps, branchBias, branchResponseLogps, causalPaddingBias, layerNorm, linear, mlp, responseLogps } from '../nn';

// ---------------------------------------------------------------- config

export interface ModelConfig {
  /** Frames per video: the synthetic world's eight ticks; a real video is sampled uniformly to this many. */
  frames: number;
  /** Frames are resized to imageSize² before the stem. */
  imageSize: number;
  /** Side of the square patch that becomes one visual token. */
  patchSize: number;
  /** The stem's first layer sees cells of cellSize² pixels (a stride-cellSize convolution); its second merges a patch's cells. */
  cellSize: number;
  /** Pixels of the neighbouring cells each cell's window also sees, on every side (zeros past the frame's edge): windows overlap, so a shape cut by a patch border is still seen whole by one token. */
  cellContext: number;
  /** Channels after the stem's first layer. */
  stemWidth: number;
  dim: number;
  layers: number;
  heads: number;
  /** MLP hidden width (4·dim, GPT-2's ratio). */
  hidden: number;
  /** Text slots after the visual tokens: the longest question plus what generation may add. */
  maxText: number;
  vocabSize: number;
  /** Response positions scored per row: the longest answer plus <eos>. */
  answerWindow: number;
}

export const DEFAULT_MODEL: ModelConfig = {
  frames: 8,
  imageSize: 32, // objects of radius 0.09-0.17 stay 6-11 px wide; 48 px was tried and learned no better in the 30-minute budget (model card)
  patchSize: 8, // 4×4 patches per frame: 16 tokens a frame, 128 a video
  cellSize: 4, // 2×2 cells per patch: a two-layer convolutional stem, more capacity than one linear patch embedding (model-notes)
  cellContext: 2, // 8×8 windows at stride 4, so a token sees 12×12 pixels: without it shape stayed at chance (objects are 6-11 px and straddle patches)
  stemWidth: 96, // the stem is where shape is learned; it costs ~3% of a step
  dim: 128,
  layers: 4,
  heads: 4,
  hidden: 512,
  maxText: 32, // room to generate 16 words after a 16-word question; training packs only the 24 slots its texts need
  vocabSize: 0, // set from the tokenizer
  answerWindow: 4,
};

/** Visual tokens per frame and per video, and the stem's input values per cell and per patch. */
export function geometry(c: ModelConfig) {
  const side = c.imageSize / c.patchSize;
  const cellsPerSide = c.patchSize / c.cellSize;
  return {
    tokensPerFrame: side * side,
    visualTokens: c.frames * side * side,
    patchValues: cellsPerSide * cellsPerSide * (c.cellSize + 2 * c.cellContext) ** 2 * 3,
    cellsPerPatch: cellsPerSide * cellsPerSide,
    cellValues: (c.cellSize + 2 * c.cellContext) ** 2 * 3,
    sequence: c.frames * side * side + c.maxText,
  };
}

/** Throws TypeError naming the first field that cannot work. */
export function validateConfig(c: ModelConfig) {
  const int = (k: keyof ModelConfig) => {
    const least = k === 'cellContext' ? 0 : 1;
    if (!Number.isInteger(c[k]) || c[k] < least) throw new TypeError(`model config ${k} must be an integer of at least ${least}, got ${c[k]}`);
  };
  (Object.keys(DEFAULT_MODEL) as (keyof ModelConfig)[]).forEach(int);
  if (c.imageSize % c.patchSize) throw new TypeError(`model config imageSize ${c.imageSize} is not a multiple of patchSize ${c.patchSize}`);
  if (c.patchSize % c.cellSize) throw new TypeError(`model config patchSize ${c.patchSize} is not a multiple of cellSize ${c.cellSize}`);
  if (c.dim % c.heads) throw new TypeError(`model config dim ${c.dim} is not divisible by heads ${c.heads}`);
  if (c.answerWindow >= c.maxText) throw new TypeError(`model config answerWindow ${c.answerWindow} must be below maxText ${c.maxText}`);
}

// ---------------------------------------------------------------- the frame encoder

/**
 * Visual tokens [B, V, C] from patches [B, V, patchValues] (laid out by
 * `patchify`: cell row, cell column, then each cell's window row-major, RGB).
 */
export function visualTokens(nn: NN, c: ModelConfig, patches: Value): Value {
  const { op } = nn;
  const g = geometry(c);
  const [b, v] = patches.shape;
  return nn.scope('encoder', () => {
    const cells = op.Reshape(patches, [b, v, g.cellsPerPatch, g.cellValues]); // [B, V, cells, cellValues]
    // He's initialisation: the stem reads raw pixels, not normalised activations, and GPT-2's std 0.02 would
    // keep its GELU in the linear range (pre-activations ~0.2), leaving the encoder one linear map that never learned shape.
    const stemInit = { kind: 'normal' as const, std: Math.sqrt(2 / g.cellValues) };
    const stem = op.gelu(linear(nn, 'stem', cells, { inFeatures: g.cellValues, outFeatures: c.stemWidth, bias: true, init: stemInit })); // [B, V, cells, stem]
    const merged = op.Reshape(stem, [b, v, g.cellsPerPatch * c.stemWidth]); // [B, V, cells·stem]
    const tokens = linear(nn, 'merge', merged, { inFeatures: g.cellsPerPatch * c.stemWidth, outFeatures: c.dim, bias: true }); // [B, V, C]
    // Where in the frame and which frame: two small tables instead of one per visual token.
    const spatial = op.Reshape(nn.scope('spatial_positions', () => nn.param('weight', [g.tokensPerFrame, c.dim], { kind: 'normal', std: 0.02 })), [1, 1, g.tokensPerFrame, c.dim]);
    const temporal = op.Reshape(nn.scope('temporal_positions', () => nn.param('weight', [c.frames, c.dim], { kind: 'normal', std: 0.02 })), [1, c.frames, 1, c.dim]);
    const positions = op.Reshape(op.Add(spatial, temporal), [1, v, c.dim]); // [1, V, C]
    return op.Add(tokens, positions); // [B, V, C]
  });
}

// ---------------------------------------------------------------- words

/** Word embeddings plus text positions for ids [B, L] (L ≤ maxText): [B, L, C]. `positions` [B, L] int32 gives each slot's position; default its index. */
export function textTokens(nn: NN, c: ModelConfig, ids: Value, positions?: Value): Value {
  const { op } = nn;
  const words = nn.scope('embed_tokens', () => op.Gather(nn.param('weight', [c.vocabSize, c.dim], { kind: 'normal', std: 0.02 }), ids)); // [B, L, C]
  const table = textPositions(nn, c); // [maxText, C]
  return op.Add(words, positions ? op.Gather(table, positions) : op.Slice(table, { starts: [0], ends: [ids.shape[1]], axes: [0] })); // [B, L, C]
}

const textPositions = (nn: NN, c: ModelConfig) => nn.scope('text_positions', () => nn.param('weight', [c.maxText, c.dim], { kind: 'normal', std: 0.02 })); // [maxText, C]

// ---------------------------------------------------------------- the transformer

/** Keys and values of one layer, [B, H, T, hd] each: what generation caches. */
export interface LayerCache {
  k: Value;
  v: Value;
}

/**
 * Causal self-attention of layer `i`. With `cache` (a decode step), the new
 * key and value are written into the cache at `write` ([B, 1, T, 1], one-hot
 * over cache slots) and attention runs over the whole cache.
 */
function attention(nn: NN, c: ModelConfig, x: Value, bias: Value, cache?: LayerCache & { write: Value }): { out: Value; kv: LayerCache } {
  const { op } = nn;
  const [b, t] = x.shape;
  const hd = c.dim / c.heads;
  const proj = (name: string, h: Value) => linear(nn, name, h, { inFeatures: c.dim, outFeatures: c.dim });
  const split = (h: Value) => op.Transpose(op.Reshape(h, [b, t, c.heads, hd]), [0, 2, 1, 3]); // [B, H, t, hd]
  return nn.scope('attn', () => {
    const q = split(proj('q_proj', x));
    let k = split(proj('k_proj', x));
    let v = split(proj('v_proj', x));
    if (cache) {
      const keep = op.Sub(1, cache.write); // [B, 1, T, 1]
      k = op.Add(op.Mul(cache.k, keep), op.Mul(k, cache.write)); // [B, H, T, hd]
      v = op.Add(op.Mul(cache.v, keep), op.Mul(v, cache.write)); // [B, H, T, hd]
    }
    const scores = op.Add(op.Mul(op.MatMul(q, op.Transpose(k, [0, 1, 3, 2])), 1 / Math.sqrt(hd)), bias); // [B, H, t, T]
    const attended = op.MatMul(op.Softmax(scores, { axis: -1 }), v); // [B, H, t, hd]
    const merged = op.Reshape(op.Transpose(attended, [0, 2, 1, 3]), [b, t, c.dim]); // [B, t, C]
    return { out: proj('o_proj', merged), kv: { k, v } };
  });
}

/** Pre-norm block: x + attn(norm(x)), then + mlp(norm(x)). */
function block(nn: NN, c: ModelConfig, i: number, x: Value, bias: Value, cache?: LayerCache & { write: Value }): { x: Value; kv: LayerCache } {
  return nn.scope('layers', () =>
    nn.scope(i, () => {
      const a = attention(nn, c, layerNorm(nn, 'input_norm', x), bias, cache);
      const h = nn.op.Add(x, a.out);
      return { x: nn.op.Add(h, mlp(nn, 'mlp', layerNorm(nn, 'post_norm', h), { dim: c.dim, hidden: c.hidden, kind: 'gelu' })), kv: a.kv };
    }),
  );
}

const head = (nn: NN, c: ModelConfig, h: Value) => linear(nn, 'lm_head', h, { inFeatures: c.dim, outFeatures: c.vocabSize }); // [..., vocab]

// ---------------------------------------------------------------- the model

/** Graph inputs of a forward pass over whole sequences. */
export interface SequenceInputs {
  /** [B, V, patchValues] float, from `patchify`. */
  patches: Value;
  /** [B, L] int32 words, L ≤ maxText: question, answer, <eos>, then padding. Prefill needs L = maxText (the cache's length). */
  ids: Value;
  /** [B, L] float: 1 for words, 0 for padding. */
  textMask: Value;
  /**
   * [B, L] float: 0 for the shared question, n ≥ 1 for answer branch n, which
   * sees the video, the question and itself only. Several answers to one
   * question then share one row, its video and question computed once, with
   * the log-probs of separate rows (packAnswerBranches). Default: one answer.
   */
  branches?: Value;
  /** [B, L] int32 text position of each slot (branches restart after the question). Default the slot's index. */
  textPositions?: Value;
}

/** Final normed hidden states [B, V + L, C] and every layer's keys and values. */
export function forward(nn: NN, c: ModelConfig, inputs: SequenceInputs): { hidden: Value; cache: LayerCache[] } {
  const { op } = nn;
  const [b, l] = inputs.ids.shape;
  const { visualTokens: v } = geometry(c);
  if (inputs.patches.shape[0] !== b || inputs.patches.shape[1] !== v) throw new GraphBuildError(`patches ${inputs.patches.describe()} must be [${b}, ${v}, …]`);
  // With explicit text positions (answer branches) a row may hold more slots than there are positions.
  if (l > c.maxText && !inputs.textPositions) throw new GraphBuildError(`ids ${inputs.ids.describe()} has more than maxText = ${c.maxText} columns`);
  let x = op.Concat([visualTokens(nn, c, inputs.patches), textTokens(nn, c, inputs.ids, inputs.textPositions)], { axis: 1 }); // [B, V + L, C]
  const mask = op.Concat([op.Expand(op.scalar(1, nn.dtype), [b, v]), inputs.textMask], { axis: 1 }); // [B, V + L]
  // Causal over the video too: a bidirectional video prefix was tried and lost temporal skill ("which appears first"
  // 71% -> 53%): the causal mask is itself a sense of order.
  let bias = causalPaddingBias(nn, mask); // [B, 1, T, T]
  if (inputs.branches) bias = op.Add(bias, branchBias(nn, op.Concat([op.Expand(op.scalar(0, nn.dtype), [b, v]), inputs.branches], { axis: 1 }))); // the video is shared by every branch
  const cache: LayerCache[] = [];
  for (let i = 0; i < c.layers; i++) {
    const out = block(nn, c, i, x, bias);
    x = out.x;
    cache.push(out.kv);
  }
  return { hidden: layerNorm(nn, 'norm', x), cache };
}

/**
 * Log-probabilities of the answer words (and <eos>) at the response window:
 * positions / targets / mask are [B, answerWindow] in sequence coordinates.
 */
export function answerLogps(nn: NN, c: ModelConfig, inputs: SequenceInputs, at: { positions: Value; targets: Value; mask: Value }): SequenceLogps {
  return responseLogps(nn.op, forward(nn, c, inputs).hidden, (h) => head(nn, c, h), at);
}

/** Log-probabilities of each answer branch (SequenceInputs.branches) at its own window, [B] each, in the order of `windows`. */
export function answerBranchLogps(nn: NN, c: ModelConfig, inputs: SequenceInputs, windows: readonly { positions: Value; targets: Value; mask: Value }[]): SequenceLogps[] {
  return branchResponseLogps(nn.op, forward(nn, c, inputs).hidden, (h) => head(nn, c, h), windows);
}

/** Mean cross-entropy over answer tokens: the pretraining loss (scalar). */
export function answerLoss(nn: NN, c: ModelConfig, inputs: SequenceInputs, at: { positions: Value; targets: Value; mask: Value }): Value {
  const { op } = nn;
  const logps = answerLogps(nn, c, inputs, at);
  return op.Neg(op.Div(op.sumAll(logps.sum), op.Max(op.sumAll(at.mask), 1))); // at least 1: an all-padding batch gives 0, not NaN
}

/**
 * The first step of generation: the whole prompt at once. Returns the
 * next-word logits [B, vocab] at `last` ([B] int32, each row's last prompt
 * position) and every layer's keys and values over all V + maxText slots.
 */
export function prefill(nn: NN, c: ModelConfig, inputs: SequenceInputs, last: Value): { logits: Value; cache: LayerCache[] } {
  const { op } = nn;
  const { hidden, cache } = forward(nn, c, inputs);
  const [b, , dim] = hidden.shape;
  const lastHidden = op.GatherElements(hidden, op.Expand(op.Reshape(last, [b, 1, 1]), [b, 1, dim]), { axis: 1 }); // [B, 1, C]
  return { logits: op.Reshape(head(nn, c, lastHidden), [b, c.vocabSize]), cache };
}

/**
 * One decode step for words `ids` [B] at sequence positions `position` [B]
 * (int32, V ≤ position < V + maxText), over `cache` and its slot mask
 * `valid` [B, T]. Returns the next-word logits [B, vocab], the caches with
 * this step's keys and values written in, and the updated slot mask.
 */
export function decodeStep(nn: NN, c: ModelConfig, g: Graph, ids: Value, position: Value, cache: LayerCache[], valid: Value): { logits: Value; cache: LayerCache[]; valid: Value } {
  const { op } = nn;
  const [b] = ids.shape;
  const { visualTokens: v, sequence: t } = geometry(c);
  const slots = g.constant(Int32Array.from({ length: t }, (_, i) => i), [1, t], 'int32');
  const write = op.Cast(op.Equal(slots, op.Reshape(position, [b, 1])), nn.dtype); // [B, T]
  const nextValid = op.Max(valid, write); // [B, T]
  const bias = op.Reshape(op.Mul(op.Sub(1, nextValid), MASKED_SCORE), [b, 1, 1, t]); // [B, 1, 1, T]
  const words = nn.scope('embed_tokens', () => op.Gather(nn.param('weight', [c.vocabSize, c.dim], { kind: 'normal', std: 0.02 }), ids)); // [B, C]
  let x = op.Reshape(op.Add(words, op.Gather(textPositions(nn, c), op.Sub(position, v))), [b, 1, c.dim]); // [B, 1, C]
  const writeSlots = op.Reshape(write, [b, 1, t, 1]); // [B, 1, T, 1]
  const next: LayerCache[] = [];
  for (let i = 0; i < c.layers; i++) {
    const out = block(nn, c, i, x, bias, { ...cache[i], write: writeSlots });
    x = out.x;
    next.push(out.kv);
  }
  const logits = op.Reshape(head(nn, c, layerNorm(nn, 'norm', x)), [b, c.vocabSize]); // [B, vocab]
  return { logits, cache: next, valid: nextValid };
}

/** Parameters of a model with this config. */
export function parameterCount(c: ModelConfig): number {
  const g = geometry(c);
  const linearParams = (i: number, o: number, bias = false) => i * o + (bias ? o : 0);
  const stem = linearParams(g.cellValues, c.stemWidth, true) + linearParams(g.cellsPerPatch * c.stemWidth, c.dim, true);
  const positions = (g.tokensPerFrame + c.frames + c.maxText) * c.dim;
  const perLayer = 4 * c.dim * c.dim + 2 * c.dim * c.hidden + 4 * c.dim;
  return stem + positions + 2 * c.vocabSize * c.dim + c.layers * perLayer + 2 * c.dim;
}
