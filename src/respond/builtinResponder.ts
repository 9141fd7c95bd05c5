/** The built-in model as a Responder: greedy generation, one log-probability per word. */
import type { BuiltinModel } from './builtinModel';
import type { Responder, ResponseRequest, Response } from './responder';

export interface BuiltinResponderOptions {
  /** The model's name in provenance. Default `pasta-tiny`. */
  name?: string;
  /** The adapter merged into the model, if any, for provenance. */
  adapter?: string;
}

/** Words the built-in model says when `maxTokens` is not given: its answers are a few words. */
const DEFAULT_MAX_WORDS = 8;

export function builtinResponder(model: BuiltinModel, options: BuiltinResponderOptions = {}): Responder {
  const { name = 'pasta-tiny', adapter } = options;
  return {
    label: adapter ? `${name} + ${adapter}` : name,
    async respond({ frames, query, settings = {}, signal }: ResponseRequest): Promise<Response> {
      signal?.throwIfAborted();
      const started = Date.now();
      const maxTokens = settings.maxTokens ?? DEFAULT_MAX_WORDS;
      const gen = await model.generate(frames, query, maxTokens);
      signal?.throwIfAborted();
      const { tokenizer } = model.model;
      return {
        text: gen.text,
        tokens: gen.ids.map((id, i) => ({ token: tokenizer.decode([id]), logp: gen.logps[i] })),
        provenance: {
          kind: 'workbench',
          model: name,
          ...(adapter ? { adapter } : {}),
          videoAs: 'tensor',
          frames: frames.length,
          // Generation is greedy: the temperature asked for is not used.
          settings: { maxTokens, temperature: 0 },
          latencyMs: Date.now() - started,
        },
      };
    },
  };
}
