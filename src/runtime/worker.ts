/**
 * The model/training Worker's methods, on the same protocol as the media and
 * pixel Workers (core/worker): create a session from an emitted model, run
 * it, run a loop whose carried tensors (parameters, optimizer state) stay in
 * the Worker between steps, read a carried tensor, release. Sessions and
 * loops are named by the ids these methods return.
 */
import { CancelledError } from '../core/errors';
import { type CallContext, type MessageEndpoint, serve, transfer } from '../core/worker';
import type { EmittedModel, TensorData } from '../graph';
import { FeedError } from './errors';
import { LoopSession, type LoopSessionOptions } from './loop';
import { type HostTensor, ModelSession, type ModelSessionOptions, type OrtModule } from './session';

type Tensors = Record<string, HostTensor>;

/** What a created session or loop reports back. */
export interface SessionInfo {
  id: number;
  provider: ModelSessionOptions['provider'];
  inputs: EmittedModel['inputs'];
  outputs: string[];
}

/**
 * Buffers to move out with `tensors`. A tensor that views part of a larger
 * buffer (onnxruntime-node's outputs can) is copied first, so moving it does
 * not take the rest of that buffer away.
 */
function movable(tensors: Tensors): { tensors: Tensors; buffers: ArrayBuffer[] } {
  const out: Tensors = {};
  const buffers: ArrayBuffer[] = [];
  for (const [name, t] of Object.entries(tensors)) {
    const d = t.data;
    const whole = d.byteOffset === 0 && d.byteLength === d.buffer.byteLength && d.buffer instanceof ArrayBuffer;
    const data = whole ? d : (d.slice() as TensorData);
    out[name] = { ...t, data };
    buffers.push(data.buffer as ArrayBuffer);
  }
  return { tensors: out, buffers };
}

/** The model Worker's method map, over the ORT module the Worker imported and configured. */
export function runtimeMethods(ort: OrtModule) {
  const sessions = new Map<number, ModelSession>();
  const loops = new Map<number, LoopSession>();
  let nextId = 1;
  const info = (id: number, s: ModelSession, model: EmittedModel): SessionInfo => ({ id, provider: s.provider, inputs: model.inputs, outputs: model.outputs });
  const sessionOf = (id: number) => sessions.get(id) ?? fail(`no session ${id} (released, or never created here)`);
  const loopOf = (id: number) => loops.get(id) ?? fail(`no loop ${id} (released, or never created here)`);
  function fail(message: string): never {
    throw new FeedError(message);
  }

  return {
    /** Compiles `model` on a provider (the model's bytes are best sent transferred). */
    createSession: async ({ model, options }: { model: EmittedModel; options: ModelSessionOptions }) => {
      const s = await ModelSession.create(ort, model, options);
      const id = nextId++;
      sessions.set(id, s);
      return info(id, s, model);
    },

    /** One run; every output comes back in host memory, moved rather than copied. */
    run: async ({ id, feeds }: { id: number; feeds: Tensors }) => {
      const { tensors, buffers } = movable(await sessionOf(id).run(feeds));
      return transfer(tensors, buffers);
    },

    /** A session that feeds `carry` outputs back as inputs from one step to the next. */
    createLoop: async ({ model, options }: { model: EmittedModel; options: LoopSessionOptions }) => {
      const loop = await LoopSession.create(ort, model, options);
      const id = nextId++;
      loops.set(id, loop);
      return info(id, loop.session, model);
    },

    /**
     * One step per entry of `steps` (the non-carried feeds of that step).
     * Each step's outputs are reported as progress detail as soon as they are
     * known; the call stops between steps when cancelled. Returns every
     * step's outputs.
     */
    runLoop: async ({ id, steps }: { id: number; steps: Tensors[] }, ctx: CallContext<Tensors>) => {
      const loop = loopOf(id);
      const results: Tensors[] = [];
      for (const [i, feeds] of steps.entries()) {
        if (ctx.signal.aborted) throw new CancelledError(`loop ${id} cancelled after ${i} of ${steps.length} steps`);
        const out = await loop.step(feeds);
        results.push(out);
        ctx.progress(i + 1, steps.length, out);
      }
      return results;
    },

    /** The current value of a carried input of a loop. */
    read: async ({ id, input }: { id: number; input: string }) => {
      const { tensors, buffers } = movable({ [input]: await loopOf(id).read(input) });
      return transfer(tensors[input], buffers);
    },

    /** Frees a session or a loop (and its carried tensors). */
    release: async ({ id }: { id: number }) => {
      const s = sessions.get(id);
      const l = loops.get(id);
      if (!s && !l) fail(`no session or loop ${id} to release`);
      sessions.delete(id);
      loops.delete(id);
      await (s ?? l)!.release();
    },
  };
}

/** The model Worker's method map, as its callers type it. */
export type RuntimeMethods = ReturnType<typeof runtimeMethods>;

/** Serves the runtime methods on `endpoint` (a Worker's global scope, or a port in tests). */
export function serveRuntime(endpoint: MessageEndpoint, ort: OrtModule): () => void {
  return serve(endpoint, runtimeMethods(ort));
}
