import type * as Ort from 'onnxruntime-web';
import type { EmittedModel } from '../graph';
import { FeedError } from './errors';
import { type HostTensor, ModelSession, type ModelSessionOptions, type OrtModule, toHost } from './session';

export interface LoopSessionOptions extends Omit<ModelSessionOptions, 'keepOnDevice'> {
  /** Output name -> the input it feeds on the next run (e.g. `new.w` -> `w`). */
  carry: Readonly<Record<string, string>>;
  /** Starting values of the carried inputs. */
  initial: Readonly<Record<string, HostTensor>>;
}

/**
 * Runs a model repeatedly, feeding some outputs back as inputs: a training
 * step whose parameters and optimizer state are carried. On WebGPU the
 * carried tensors stay in GPU buffers between runs, so only the other outputs
 * (the metrics) are read back; `read` downloads a carried tensor on demand.
 */
export class LoopSession {
  private state = new Map<string, Ort.Tensor | HostTensor>();

  private constructor(
    readonly session: ModelSession,
    private readonly carry: Readonly<Record<string, string>>,
  ) {}

  static async create(ort: OrtModule, model: EmittedModel, options: LoopSessionOptions): Promise<LoopSession> {
    const { carry, initial, ...rest } = options;
    const inputs = new Set(model.inputs.map((i) => i.name));
    for (const [out, inp] of Object.entries(carry)) {
      if (!model.outputs.includes(out)) throw new FeedError(`carried output "${out}" is not an output of the model`);
      if (!inputs.has(inp)) throw new FeedError(`carried input "${inp}" is not an input of the model`);
      if (!initial[inp]) throw new FeedError(`carried input "${inp}" has no initial value`);
    }
    const session = await ModelSession.create(ort, model, { ...rest, keepOnDevice: Object.keys(carry) });
    const loop = new LoopSession(session, carry);
    for (const inp of Object.values(carry)) loop.state.set(inp, initial[inp]);
    return loop;
  }

  /** One run: `feeds` are the non-carried inputs; returns the non-carried outputs, in host memory. */
  async step(feeds: Readonly<Record<string, HostTensor>>): Promise<Record<string, HostTensor>> {
    const out = await this.session.runRaw({ ...feeds, ...Object.fromEntries(this.state) });
    const result: Record<string, HostTensor> = {};
    for (const [name, t] of Object.entries(out)) {
      const inp = this.carry[name];
      if (inp) {
        const old = this.state.get(inp);
        if (old && 'dispose' in old && old.location === 'gpu-buffer') old.dispose();
        this.state.set(inp, t);
      } else {
        result[name] = await toHost(t);
      }
    }
    return result;
  }

  /** Replaces carried inputs' values (e.g. a new generation's caches); names not given keep theirs. */
  reset(values: Readonly<Record<string, HostTensor>>) {
    const carried = new Set(Object.values(this.carry));
    for (const [name, t] of Object.entries(values)) {
      if (!carried.has(name)) throw new FeedError(`"${name}" is not carried`);
      const old = this.state.get(name);
      if (old && 'dispose' in old && old.location === 'gpu-buffer') old.dispose();
      this.state.set(name, t);
    }
  }

  /** Where each carried tensor lives now: 'gpu-buffer' under WebGPU after the first step, 'cpu' otherwise. */
  locations(): Record<string, string> {
    return Object.fromEntries([...this.state].map(([k, t]) => [k, 'dims' in t ? t.location : 'cpu']));
  }

  /** The current value of a carried input, in host memory. */
  async read(input: string): Promise<HostTensor> {
    const t = this.state.get(input);
    if (!t) throw new FeedError(`"${input}" is not carried`);
    return 'dims' in t ? toHost(t) : t;
  }

  async release() {
    for (const t of this.state.values()) if ('dispose' in t && t.location === 'gpu-buffer') t.dispose();
    await this.session.release();
  }
}
