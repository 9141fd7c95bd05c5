import { type HostTensor, type TensorData, Graph } from '../graph';
import { NN, decodeSafetensors, encodeSafetensors } from '../nn';
import { ModelFolderError } from './errors';
import { type ModelConfig, answerLogps, geometry, validateConfig } from './model';
import { WordTokenizer } from './tokenizer';

/** The files of a model folder (public/models/pasta-tiny/ and any the user opens). */
export const MODEL_FILES = ['config.json', 'tokenizer.json', 'model.safetensors'] as const;
export type ModelFile = (typeof MODEL_FILES)[number];

/** A loaded model: what every forward pass is built from. */
export interface LoadedModel {
  config: ModelConfig;
  tokenizer: WordTokenizer;
  /** Every parameter by its name in the file. */
  weights: Map<string, TensorData>;
}

/** The model's parameters for a config, in creation order, at their initial values from `seed`. */
function modelParameters(c: ModelConfig, seed?: number) {
  const g = new Graph();
  const nn = new NN(g, { seed });
  const { visualTokens: v, patchValues } = geometry(c);
  const int = (name: string, cols: number) => g.input(name, [1, cols], 'int32');
  answerLogps(nn, c, { patches: g.input('patches', [1, v, patchValues], 'float32'), ids: int('ids', c.maxText), textMask: g.input('text_mask', [1, c.maxText], 'float32') }, {
    positions: int('positions', c.answerWindow),
    targets: int('targets', c.answerWindow),
    mask: g.input('window_mask', [1, c.answerWindow], 'float32'),
  });
  return g.parameters();
}

/** Every parameter's name and shape for a config, in creation order. */
export function parameterShapes(c: ModelConfig): Map<string, readonly number[]> {
  return new Map(modelParameters(c).map((p) => [p.name, p.shape]));
}

/** Every parameter at its initialisation from `seed` (the model's own init rules), by name. */
export function initialWeights(c: ModelConfig, seed: number): Map<string, TensorData> {
  return new Map(modelParameters(c, seed).map((p) => [p.name, (p.source as { data: TensorData }).data]));
}

const parseJson = (file: ModelFile, bytes: Uint8Array) => {
  try {
    return JSON.parse(new TextDecoder().decode(bytes));
  } catch (e) {
    throw new ModelFolderError(file, `not JSON (${(e as Error).message})`);
  }
};

/**
 * Reads and checks a model folder. `read` returns a file's bytes, or
 * undefined when it is missing. Every failure is a ModelFolderError naming
 * the file and, for weights, the tensor.
 */
export async function loadModelFolder(read: (file: ModelFile) => Promise<Uint8Array | undefined>): Promise<LoadedModel> {
  const files = {} as Record<ModelFile, Uint8Array>;
  for (const f of MODEL_FILES) {
    const bytes = await read(f);
    if (!bytes) throw new ModelFolderError(f, 'the file is missing');
    files[f] = bytes;
  }
  const config = parseJson('config.json', files['config.json']) as ModelConfig;
  // Folders written before cells saw their neighbours have no cellContext: their cells saw none.
  if (config && typeof config === 'object' && !('cellContext' in config)) (config as ModelConfig).cellContext = 0;
  try {
    validateConfig(config);
  } catch (e) {
    throw new ModelFolderError('config.json', (e as Error).message);
  }
  let tokenizer: WordTokenizer;
  try {
    tokenizer = WordTokenizer.fromJSON(parseJson('tokenizer.json', files['tokenizer.json']));
  } catch (e) {
    if (e instanceof ModelFolderError) throw e;
    throw new ModelFolderError('tokenizer.json', (e as Error).message);
  }
  if (tokenizer.size !== config.vocabSize) throw new ModelFolderError('tokenizer.json', `has ${tokenizer.size} words; config.json says vocabSize ${config.vocabSize}`);
  let tensors: Record<string, HostTensor>;
  try {
    tensors = decodeSafetensors(files['model.safetensors']).tensors;
  } catch (e) {
    const tensor = /tensor "([^"]+)"/.exec((e as Error).message)?.[1] ?? null;
    throw new ModelFolderError('model.safetensors', (e as Error).message, tensor);
  }
  const weights = new Map<string, TensorData>();
  for (const [name, shape] of parameterShapes(config)) {
    const t = tensors[name];
    if (!t) throw new ModelFolderError('model.safetensors', 'is missing', name);
    if (t.dtype !== 'float32') throw new ModelFolderError('model.safetensors', `is ${t.dtype}; float32 expected`, name);
    if (t.shape.length !== shape.length || t.shape.some((d, i) => d !== shape[i])) {
      throw new ModelFolderError('model.safetensors', `has shape [${t.shape.join(', ')}]; the config needs [${shape.join(', ')}]`, name);
    }
    weights.set(name, t.data);
  }
  const extra = Object.keys(tensors).find((n) => !weights.has(n));
  if (extra) throw new ModelFolderError('model.safetensors', 'is not a parameter of this model', extra);
  return { config, tokenizer, weights };
}

/** The bytes of each file of a model folder. */
export function modelFolderFiles(model: LoadedModel, metadata?: Record<string, string>): Record<ModelFile, Uint8Array> {
  const shapes = parameterShapes(model.config);
  const tensors: Record<string, HostTensor> = {};
  for (const [name, shape] of shapes) {
    const data = model.weights.get(name);
    if (!data) throw new ModelFolderError('model.safetensors', 'has no value to save', name);
    tensors[name] = { dtype: 'float32', shape, data };
  }
  const json = (x: unknown) => new TextEncoder().encode(`${JSON.stringify(x, null, 2)}\n`);
  return { 'config.json': json(model.config), 'tokenizer.json': json(model.tokenizer.toJSON()), 'model.safetensors': encodeSafetensors(tensors, metadata) };
}
