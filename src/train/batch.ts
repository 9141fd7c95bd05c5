import { GraphBuildError } from '../graph';
import type { HostTensor } from '../runtime';

/**
 * A batch of preference pairs, tokenised and right-padded to one length.
 * Rows are pairs; `chosen*` and `rejected*` hold [P, T] row-major arrays.
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

/** The model inputs of a batch: input_ids, attention_mask, response_mask, each [2P, T]. */
export function sequenceFeeds(batch: DpoBatch, dtype: 'float32' | 'float64' = 'float32'): Record<string, HostTensor> {
  const { pairs: p, seqLen: t } = batch;
  for (const k of ['chosenIds', 'rejectedIds', 'chosenMask', 'rejectedMask', 'chosenResponse', 'rejectedResponse'] as const) {
    if (batch[k].length !== p * t) throw new GraphBuildError(`batch.${k} has ${batch[k].length} elements, [${p}, ${t}] needs ${p * t}`);
  }
  if (batch.category.length !== p) throw new GraphBuildError(`batch.category has ${batch.category.length} elements, needs ${p}`);
  const float = (x: Float32Array) => (dtype === 'float32' ? x : Float64Array.from(x));
  const shape = [2 * p, t];
  return {
    input_ids: { dtype: 'int32', shape, data: stack(batch.chosenIds, batch.rejectedIds) },
    attention_mask: { dtype, shape, data: float(stack(batch.chosenMask, batch.rejectedMask)) },
    response_mask: { dtype, shape, data: float(stack(batch.chosenResponse, batch.rejectedResponse)) },
  };
}
