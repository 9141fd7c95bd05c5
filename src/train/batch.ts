import { GraphBuildError } from '../graph';
import type { HostTensor } from '../runtime';

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

/** The model inputs of a batch: input_ids, attention_mask, response_mask, each [2P, T], flushed left. */
export function sequenceFeeds(batch: DpoBatch, dtype: 'float32' | 'float64' = 'float32'): Record<string, HostTensor> {
  const { pairs: p, seqLen: t } = batch;
  for (const k of ['chosenIds', 'rejectedIds', 'chosenMask', 'rejectedMask', 'chosenResponse', 'rejectedResponse'] as const) {
    if (batch[k].length !== p * t) throw new GraphBuildError(`batch.${k} has ${batch[k].length} elements, [${p}, ${t}] needs ${p * t}`);
  }
  if (batch.category.length !== p) throw new GraphBuildError(`batch.category has ${batch.category.length} elements, needs ${p}`);
  const float = (x: Float32Array) => (dtype === 'float32' ? x : Float64Array.from(x));
  const shape = [2 * p, t];
  const ids = stack(batch.chosenIds, batch.rejectedIds);
  const mask = stack(batch.chosenMask, batch.rejectedMask);
  const response = stack(batch.chosenResponse, batch.rejectedResponse);
  flushLeft(t, mask, ids, response);
  return {
    input_ids: { dtype: 'int32', shape, data: ids },
    attention_mask: { dtype, shape, data: float(mask) },
    response_mask: { dtype, shape, data: float(response) },
  };
}
