/**
 * The model Worker's methods, on the one Worker protocol (core/worker): load
 * the built-in model's folder once, then answer (choose, generate), score
 * and run the held-out benchmark with progress and cancellation. Pure of the
 * DOM, so a Node test serves the same map over a MessageChannel on
 * onnxruntime-node.
 *
 * A model is kept per provider, so a test can ask the same Worker for WASM
 * and WebGPU; a call without a provider uses the first one loaded.
 */
import { CancelledError } from '../../core/errors';
import type { RgbaFrame } from '../../core/frame';
import { type CallContext, type MessageEndpoint, serve } from '../../core/worker';
import { type BenchmarkResult, benchmarkItems, runBenchmark } from '../../eval';
import { type AdapterFile, type LoadedModel, type ModelFile, MODEL_FILES, ModelFolderError, loadModelFolder, mergeAdapter } from '../../model';
import { BuiltinModel, type ScoreItem } from '../../respond';
import { type OrtModule, type Provider, chooseProvider } from '../../runtime';

/** Reads one file of the model folder at `url` (a folder URL ending in "/"); undefined when it is missing. */
/** The ORT module to create a provider's sessions with. */
export type OrtFor = (provider: Provider) => Promise<OrtModule>;

export type FolderReader = (url: string, file: ModelFile, onBytes: (received: number, total: number) => void) => Promise<Uint8Array | undefined>;

export interface ModelHostOptions {
  /** Where files come from: fetch in a browser Worker, the file system in tests. */
  read: FolderReader;
  /** What "auto" means: WebGPU on a real adapter, else WASM (browser), or CPU (Node). */
  autoProvider(): Promise<{ provider: Provider; reason: string }>;
  /** Bounds each ORT session creation and run, ms. */
  createTimeoutMs?: number;
  runTimeoutMs?: number;
}

/** What `load` reports. */
export interface ModelInfo {
  provider: Provider;
  /** Why this provider: "fallback adapter (google swiftshader)", "forced", ... */
  reason: string;
  parameters: number;
  /** Every word the tokenizer knows (without <pad> and <eos>). */
  vocabulary: string[];
  frames: number;
  imageSize: number;
  loadMs: number;
  /** The adapter merged into the weights every pass uses, or null (the base model). */
  adapter: string | null;
}

/** Progress detail of `load` and `benchmark`: what stage the work is in. */
export interface StageDetail {
  stage: string;
}

interface Loaded {
  model: BuiltinModel;
  info: ModelInfo;
}

type WithProvider = { provider?: Provider };

/**
 * Reads a model folder over HTTP. A missing file is undefined: a 404, or the
 * HTML page a single-page-app server answers for any unknown path.
 */
export const fetchFolderFile: FolderReader = async (url, file, onBytes) => {
  const response = await fetch(new URL(file, url));
  if (response.status === 404) return undefined;
  if (!response.ok) throw new ModelFolderError(file, `could not be fetched: HTTP ${response.status} ${response.statusText}`);
  if ((response.headers.get('content-type') ?? '').includes('text/html')) return undefined;
  const total = Number(response.headers.get('content-length') ?? 0);
  if (!response.body) return new Uint8Array(await response.arrayBuffer());
  const reader = response.body.getReader();
  const parts: Uint8Array[] = [];
  let received = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    parts.push(value);
    received += value.length;
    onBytes(received, Math.max(total, received));
  }
  const out = new Uint8Array(received);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
};

/** The browser's choice: WebGPU on a real adapter, WASM on a fallback adapter or none. */
export const browserProvider = () => chooseProvider((globalThis.navigator as unknown as { gpu?: never } | undefined)?.gpu);

/** The model Worker's method map. */
/** `ortFor` gives the ORT build for a provider's sessions (in the browser one build per provider: src/ui/ort.ts). */
export function modelMethods(ortFor: OrtFor, options: ModelHostOptions) {
  const { read, autoProvider, createTimeoutMs = 120_000, runTimeoutMs = 60_000 } = options;
  /** Folder bytes by URL, read once; models by provider, created once. */
  const folders = new Map<string, Promise<LoadedModel>>();
  const models = new Map<Provider, Promise<Loaded>>();
  let first: Provider | null = null;
  /** The adapter every pass honours (merged into the weights), and the folder it was merged into. */
  let adapter: { name: string; files: Record<AdapterFile, Uint8Array> } | null = null;
  let lastUrl: string | null = null;
  const withAdapter = async (m: LoadedModel) => (adapter ? mergeAdapter(m, async (f) => adapter!.files[f]) : m);

  const folder = (url: string, ctx: CallContext<StageDetail>) => {
    let p = folders.get(url);
    if (!p) {
      const sizes = new Map<ModelFile, [number, number]>();
      const report = () => {
        let done = 0;
        let total = 0;
        for (const [d, t] of sizes.values()) {
          done += d;
          total += t;
        }
        ctx.progress(done, Math.max(total, 1), { stage: 'downloading the model' });
      };
      p = loadModelFolder((file) => read(url, file, (d, t) => {
        sizes.set(file, [d, t]);
        report();
      }));
      folders.set(url, p);
      p.catch(() => folders.delete(url)); // a failed read can be tried again
    }
    return p;
  };

  const modelOf = async (provider: Provider | undefined): Promise<Loaded> => {
    const which = provider ?? first;
    const m = which && models.get(which);
    if (!m) throw new ModelFolderError(MODEL_FILES[0], `no model is loaded${provider ? ` on ${provider}` : ''}: call load first`);
    return m;
  };

  return {
    /**
     * Loads the folder at `url` (once) and creates its sessions on `provider`
     * ("auto" or absent: the host's choice). Progress: bytes downloaded, then
     * the compile stage.
     */
    load: async ({ url, provider }: { url: string; provider?: Provider | 'auto' }, ctx: CallContext<StageDetail>): Promise<ModelInfo> => {
      const t0 = performance.now();
      const choice = provider && provider !== 'auto' ? { provider, reason: 'forced' } : await autoProvider();
      let m = models.get(choice.provider);
      if (!m) {
        m = (async () => {
          const loaded = await folder(url, ctx);
          ctx.progress(1, 1, { stage: `compiling for ${choice.provider}` });
          const model = await BuiltinModel.create(await ortFor(choice.provider), await withAdapter(loaded), { provider: choice.provider, createTimeoutMs, runTimeoutMs });
          const { config, tokenizer } = loaded;
          let parameters = 0;
          for (const w of loaded.weights.values()) parameters += w.length;
          const info: ModelInfo = {
            provider: model.provider,
            reason: choice.reason,
            parameters,
            vocabulary: tokenizer.words.slice(2),
            frames: config.frames,
            imageSize: config.imageSize,
            loadMs: performance.now() - t0,
            adapter: adapter?.name ?? null,
          };
          return { model, info };
        })();
        models.set(choice.provider, m);
        m.catch(() => models.delete(choice.provider));
      }
      const { info } = await m;
      first ??= choice.provider;
      lastUrl = url;
      return info;
    },

    /**
     * Switches the adapter on (its PEFT files merged into the weights) or off
     * (null) for every later pass on every loaded provider: Ask, Inspect and
     * Evaluate all go through here. The sessions are rebuilt; a failed merge
     * names the adapter file and keeps the model as it was.
     */
    setAdapter: async ({ name, files }: { name: string; files: Record<AdapterFile, Uint8Array> | null }): Promise<{ adapter: string | null }> => {
      const next = files ? { name, files } : null;
      if (!lastUrl) {
        // Nothing loaded yet: the adapter is merged when the model loads (and named there if it does not fit).
        adapter = next;
        return { adapter: adapter?.name ?? null };
      }
      const base = await folder(lastUrl, { signal: new AbortController().signal, progress: () => {} });
      const weights = next ? await mergeAdapter(base, async (f) => next.files[f]) : base; // throws before anything changes
      adapter = next;
      for (const [provider, old] of [...models.entries()]) {
        const fresh = (async () => {
          const was = await old;
          const model = await BuiltinModel.create(await ortFor(provider), weights, { provider, createTimeoutMs, runTimeoutMs });
          await was.model.release();
          return { model, info: { ...was.info, adapter: adapter?.name ?? null } };
        })();
        models.set(provider, fresh);
        await fresh;
      }
      return { adapter: adapter?.name ?? null };
    },

    /** Multiple choice: each option's log-probability, and the most probable. */
    choose: async ({ frames, question, options, provider }: { frames: RgbaFrame[]; question: string; options: string[] } & WithProvider) =>
      (await modelOf(provider)).model.choose(frames, question, options),

    /** Greedy generation of a short answer with the key-value cache. */
    generate: async ({ frames, question, maxWords = 6, provider }: { frames: RgbaFrame[]; question: string; maxWords?: number } & WithProvider) =>
      (await modelOf(provider)).model.generate(frames, question, maxWords),

    /** Log-probabilities of given answers (per word and total). */
    score: async ({ items, provider }: { items: ScoreItem[] } & WithProvider) => (await modelOf(provider)).model.score(items),

    /**
     * The held-out benchmark for (seed, perCategory): renders its scenes, then
     * scores every option on both views. Progress counts scored options; the
     * call stops between batches when cancelled.
     */
    benchmark: async ({ seed, perCategory, provider }: { seed: number; perCategory: number } & WithProvider, ctx: CallContext<StageDetail>): Promise<BenchmarkResult> => {
      const { model, info } = await modelOf(provider);
      ctx.progress(0, 1, { stage: 'rendering held-out scenes' });
      const items = benchmarkItems(seed, perCategory, info.imageSize);
      const stop = () => {
        if (ctx.signal.aborted) throw new CancelledError('benchmark cancelled');
      };
      stop();
      const scorer = { score: async (batch: readonly ScoreItem[]) => (stop(), model.score(batch)) };
      const result = await runBenchmark(scorer, items, seed, (done, total) => ctx.progress(done, total, { stage: 'scoring' }));
      stop();
      return result;
    },

    /** Frees every session. */
    release: async () => {
      const all = [...models.values()];
      models.clear();
      first = null;
      for (const m of all) await (await m.catch(() => null))?.model.release();
    },
  };
}

/** The model Worker's method map, as its callers type it. */
export type ModelMethods = ReturnType<typeof modelMethods>;

/** Serves the model methods on `endpoint`. */
export function serveModel(endpoint: MessageEndpoint, ortFor: OrtFor, options: ModelHostOptions): () => void {
  return serve(endpoint, modelMethods(ortFor, options));
}
