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
