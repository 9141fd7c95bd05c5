/**
 * Model diagnostics: the built-in model in the app's own model Worker, on
 * `window.pastaModel` for end-to-end tests (browser forward passes against
 * Node's). Fixed items come from the synthetic world, which renders the same
 * pixels in Node and the browser, so the test can build them itself.
 */
import type { Provider } from '../../runtime';
import { generateScene, questionsFor, renderFrames } from '../../synth';
import { ensureModel, modelWorker } from '../modelWorker';
import { parityItems } from './parityItems';

const pastaModel = {
  /** Loads the model on `provider` ('auto': what the app would choose). */
  load: (provider: Provider | 'auto') => ensureModel(provider),
  /** Scores the parity items; plain numbers so they cross into Node. */
  async score(provider: Provider, seeds: number[], perScene: number) {
    const out = await modelWorker().call('score', { items: parityItems(seeds, perScene), provider }, { timeoutMs: 240_000 });
    return out.map((s) => ({ logp: s.logp, tokens: s.tokens }));
  },
  /** Greedy generation for each seed's first question. */
  async generate(provider: Provider, seeds: number[]) {
    const out = [];
    for (const seed of seeds) {
      const scene = generateScene('eval', seed);
      out.push(await modelWorker().call('generate', { frames: renderFrames(scene, 32), question: questionsFor(scene)[0].text, maxWords: 4, provider }, { timeoutMs: 120_000 }));
    }
    return out;
  },
  /** Whether this browser has a WebGPU adapter at all (the WebGPU EP runs even on a fallback adapter). */
  async hasWebGpu() {
    const gpu = (navigator as Navigator & { gpu?: { requestAdapter(): Promise<unknown> } }).gpu;
    return !!(gpu && (await gpu.requestAdapter().catch(() => null)));
  },
};

declare global {
  interface Window {
    pastaModel: typeof pastaModel;
  }
}
window.pastaModel = pastaModel;
