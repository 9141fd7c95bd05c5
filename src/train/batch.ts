import type { HostTensor } from '../runtime';

/** A batch that does not fit the graphs it is fed to: names the field or row. */
export class BatchError extends Error {
  override name = 'BatchError';
}

/**
 * A batch of preference pairs, tokenised and padded to one length.
 * Rows are pairs; `chosen*` and `rejected*` hold [P, T] row-major arrays.
 * Padding may be on either side: rows that start with padding are flushed
 * left before the model sees them (as TRL's collator does), so every
 * sequence's first token sits at position 0.
 */
export interface DpoBatch {
  pairs: number;
  seqLen: number;
  chosenIds: Int32Array;
  rejectedIds: Int32Array;
  /** 1 for real tokens, 0 for padding. */
  chosenMask: Float32Array;
  rejectedMask: Float32Array;
  /** 1 on response tokens, 0 on prompt and padding. */
  chosenResponse: Float32Array;
  rejectedResponse: Float32Array;
  /** Category index of each pair (0 spatial, 1 temporal, 2 cross-frame, ...). */
  category: Int32Array;
}

/** Stacks chosen rows over rejected rows: the model sees [2P, T], as TRL's concatenated forward. */
function stack<T extends Int32Array | Float32Array>(a: T, b: T): T {
  const out = new (a.constructor as new (n: number) => T)(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

/** Moves each row's leading padding (mask 0 before its first real token) to its end; ids, mask and response shift together. */
function flushLeft(t: number, mask: Float32Array, ...others: (Int32Array | Float32Array)[]) {
  for (let at = 0; at < mask.length; at += t) {
    let lead = 0;
    while (lead < t && mask[at + lead] === 0) lead++;
    if (lead === 0 || lead === t) continue;
    for (const x of [mask, ...others]) x.copyWithin(at, at + lead, at + t).fill(0, at + t - lead, at + t);
  }
}

/** The batch as the model reads it: [2P, T] rows, chosen over rejected, flushed left. */
export function batchRows(batch: DpoBatch): { ids: Int32Array; mask: Float32Array; response: Float32Array } {
  const { pairs: p, seqLen: t } = batch;
  for (const k of ['chosenIds', 'rejectedIds', 'chosenMask', 'rejectedMask', 'chosenResponse', 'rejectedResponse'] as const) {
    if (batch[k].length !== p * t) throw new BatchError(`batch.${k} has ${batch[k].length} elements, [${p}, ${t}] needs ${p * t}`);
  }
  if (batch.category.length !== p) throw new BatchError(`batch.category has ${batch.category.length} elements, needs ${p}`);
  const ids = stack(batch.chosenIds, batch.rejectedIds);
  const mask = stack(batch.chosenMask, batch.rejectedMask);
  const response = stack(batch.chosenResponse, batch.rejectedResponse);
  flushLeft(t, mask, ids, response);
  return { ids, mask, response };
}

/**
 * The model inputs of a batch, for graphs built with a response window of
 * `width` positions per row:
 * - input_ids, attention_mask [2P, T];
 * - logit_positions [2P, K] int32: the positions whose logits predict a response token, in order;
 * - logit_targets [2P, K] int32: the token each of them predicts;
 * - logit_mask [2P, K]: 1 where the entry is real, 0 where it pads the row to K.
 * Only those positions go through the LM head and the log-softmax.
 */
export function sequenceFeeds(batch: DpoBatch, dtype: 'float32' | 'float64' = 'float32', width = batch.seqLen - 1): Record<string, HostTensor> {
  const { ids, mask, response } = batchRows(batch);
  const t = batch.seqLen;
  const rows = 2 * batch.pairs;
  const positions = new Int32Array(rows * width);
  const targets = new Int32Array(rows * width);
  const used = new Float32Array(rows * width);
  for (let r = 0; r < rows; r++) {
    let k = 0;
    for (let j = 0; j + 1 < t; j++) {
      if (!response[r * t + j + 1]) continue;
      if (k === width) {
        const count = response.subarray(r * t + 1, r * t + t).reduce((a, b) => a + b, 0);
        const side = r < batch.pairs ? `chosen of pair ${r}` : `rejected of pair ${r - batch.pairs}`;
        throw new BatchError(`row ${r} (${side}) has ${count} response tokens; the graphs were built for responseWindow ${width}`);
      }
      positions[r * width + k] = j;
      targets[r * width + k] = ids[r * t + j + 1];
      used[r * width + k] = 1;
      k++;
    }
  }
  const float = (x: Float32Array) => (dtype === 'float32' ? x : Float64Array.from(x));
  return {
    input_ids: { dtype: 'int32', shape: [rows, t], data: ids },
    attention_mask: { dtype, shape: [rows, t], data: float(mask) },
    logit_positions: { dtype: 'int32', shape: [rows, width], data: positions },
    logit_targets: { dtype: 'int32', shape: [rows, width], data: targets },
    logit_mask: { dtype, shape: [rows, width], data: float(used) },
  };
}

/**
 * The model inputs of a batch for graphs built with a shared prompt
 * (PolicyOptions.sharedPrompt = `length`): one row per pair, its prompt once
 * and the chosen and rejected responses as two branches after it, so the
 * prompt goes through the model once instead of twice.
 * - input_ids, attention_mask, position_ids (int32), branches [P, length];
 * - chosen_ and rejected_ logit_positions, logit_targets, logit_mask [P, width].
 * Throws BatchError when a pair's two prompts differ, a row has no prompt or
 * the pair does not fit `length` or `width`.
 */
export function sharedPromptFeeds(batch: DpoBatch, length: number, dtype: 'float32' | 'float64' = 'float32', width = batch.seqLen - 1): Record<string, HostTensor> {
  const { ids, mask, response } = batchRows(batch);
  const { pairs: p, seqLen: t } = batch;
  const out = {
    ids: new Int32Array(p * length),
    mask: new Float32Array(p * length),
    positions: new Int32Array(p * length),
    branches: new Float32Array(p * length),
  };
  const windows = ['chosen', 'rejected'].map(() => ({ positions: new Int32Array(p * width), targets: new Int32Array(p * width), used: new Float32Array(p * width) }));
  /** A flushed-left row as its prompt length and response tokens. */
  const split = (r: number, side: string, pair: number) => {
    const at = r * t;
    let prompt = 0;
    while (prompt < t && mask[at + prompt] && !response[at + prompt]) prompt++;
    const tokens: number[] = [];
    for (let j = prompt; j < t && mask[at + j]; j++) {
      if (!response[at + j]) throw new BatchError(`pair ${pair}: the ${side} row has prompt tokens after its response; a shared prompt needs prompt then response`);
      tokens.push(ids[at + j]);
    }
    if (prompt === 0) throw new BatchError(`pair ${pair}: the ${side} row has no prompt`);
    if (tokens.length > width) throw new BatchError(`pair ${pair}: the ${side} response has ${tokens.length} tokens; the graphs were built for responseWindow ${width}`);
    return { prompt, tokens };
  };
  for (let i = 0; i < p; i++) {
    const chosen = split(i, 'chosen', i);
    const rejected = split(p + i, 'rejected', i);
    const n = chosen.prompt;
    const same = n === rejected.prompt && ids.subarray(i * t, i * t + n).every((x, j) => x === ids[(p + i) * t + j]);
    if (!same) throw new BatchError(`pair ${i}: the chosen and rejected prompts differ; a shared prompt needs them equal (build the graphs without sharedPrompt)`);
    const need = n + chosen.tokens.length + rejected.tokens.length;
    if (need > length) throw new BatchError(`pair ${i} needs ${need} slots (prompt ${n}, responses ${chosen.tokens.length} and ${rejected.tokens.length}); the graphs were built for sharedPrompt ${length}`);
    const row = i * length;
    for (let j = 0; j < n; j++) {
      out.ids[row + j] = ids[i * t + j];
      out.mask[row + j] = 1;
      out.positions[row + j] = j;
    }
    let slot = n;
    [chosen, rejected].forEach(({ tokens }, b) => {
      const w = windows[b];
      tokens.forEach((id, j) => {
        out.ids[row + slot + j] = id;
        out.mask[row + slot + j] = 1;
        out.positions[row + slot + j] = n + j;
        out.branches[row + slot + j] = b + 1;
        // The first token is predicted at the prompt's last, each next one at its branch's previous token.
        w.positions[i * width + j] = j === 0 ? n - 1 : slot + j - 1;
        w.targets[i * width + j] = id;
        w.used[i * width + j] = 1;
      });
      slot += tokens.length;
    });
  }
  const float = (x: Float32Array) => (dtype === 'float32' ? x : Float64Array.from(x));
  const feeds: Record<string, HostTensor> = {
    input_ids: { dtype: 'int32', shape: [p, length], data: out.ids },
    attention_mask: { dtype, shape: [p, length], data: float(out.mask) },
    position_ids: { dtype: 'int32', shape: [p, length], data: out.positions },
    branches: { dtype, shape: [p, length], data: float(out.branches) },
  };
  (['chosen', 'rejected'] as const).forEach((side, b) => {
    feeds[`${side}_logit_positions`] = { dtype: 'int32', shape: [p, width], data: windows[b].positions };
    feeds[`${side}_logit_targets`] = { dtype: 'int32', shape: [p, width], data: windows[b].targets };
    feeds[`${side}_logit_mask`] = { dtype, shape: [p, width], data: float(windows[b].used) };
  });
  return feeds;
}

/** The feeds of a policy's graphs for a batch: shared-prompt rows when the graphs were built so, [2P] rows otherwise. */
export function policyFeeds(batch: DpoBatch, o: { sharedPrompt?: number; dtype?: 'float32' | 'float64'; responseWindow?: number }): Record<string, HostTensor> {
  const width = o.responseWindow ?? batch.seqLen - 1;
  return o.sharedPrompt ? sharedPromptFeeds(batch, o.sharedPrompt, o.dtype, width) : sequenceFeeds(batch, o.dtype, width);
}
