import type { StateCreator } from 'zustand';
import {
  type AdversarialView,
  type AdversarySpec,
  type Category,
  CATEGORIES,
  type ParamValue,
  applyAdversary,
  defaultSpec,
  RECIPES,
  parseAdversarySpec,
} from '../../adversary';
import { isDecodable } from '../../library/videoRecord';
import { planFrames } from '../../media/samplers';
import { type RenderedView, librarySources, renderView } from '../frames/renderView';
import type { Workbench } from './index';

export type { RenderedView };

export interface InspectError {
  name: string;
  message: string;
  field?: string;
}

export interface InspectSlice {
  category: Category;
  /** The spec shown for each category (the grid shows all three). */
  specs: Record<Category, AdversarySpec>;
  /** Entity slot values for the query templates. */
  slots: Record<string, string>;
  overlay: boolean;
  grid: boolean;
  rendered: RenderedView | null;
  gridRendered: Partial<Record<Category, RenderedView | InspectError>>;
  inspectError: InspectError | null;
  /** Frames decoded of the current view, and when its decode started (ms, performance.now). */
  inspectProgress: { done: number; total: number; startedAt: number } | null;
  /** Stops the current view's decode; it shows as cancelled, and a change of recipe or seed starts again. */
  cancelInspect(): void;
  /** Shared scrubber, 0..1 over both views. */
  position: number;
  playing: boolean;
  setCategory(category: Category): void;
  setRecipe(recipe: string): void;
  setParam(name: string, value: ParamValue | undefined): void;
  setSeed(seed: number): void;
  reroll(): void;
  setSlot(name: string, value: string): void;
  /** Replaces the current category's spec with one given as JSON (pasted or imported). */
  setSpecJson(text: string): void;
  toggleOverlay(): void;
  toggleGrid(): void;
  setPosition(position: number): void;
  stepPosition(direction: number): void;
  setPlaying(playing: boolean): void;
  /** Recomputes and redraws the current view (and the grid when shown). */
  refreshInspect(): Promise<void>;
}

export const DEFAULT_SPECS: Record<Category, AdversarySpec> = {
  spatial: defaultSpec('spatial'),
  temporal: defaultSpec('temporal'),
  'cross-frame': defaultSpec('cross-frame'),
};

const errorOf = (e: unknown): InspectError => {
  const err = e as Error & { field?: string };
  return { name: err.name ?? 'Error', message: err.message ?? String(e), field: err.field };
};

let generation = 0;

/**
 * The spec with every video parameter that names a library id (specs saved
 * before videos were named by path) rewritten as that video's relative path,
 * the name pair records use, so a copied spec works in another library.
 */
export function namedByPath(spec: AdversarySpec, videos: readonly { id: string; relativePath: string }[]): AdversarySpec {
  const recipe = RECIPES.get(spec.recipe);
  let params: Record<string, ParamValue> | null = null;
  for (const [name, p] of Object.entries(recipe?.params ?? {})) {
    const value = spec.params[name];
    const byId = p.kind === 'video' && typeof value === 'string' ? videos.find((v) => v.id === value) : undefined;
    if (byId) (params ??= { ...spec.params })[name] = byId.relativePath;
  }
  return params ? { ...spec, params } : spec;
}

export const createInspectSlice: StateCreator<Workbench, [], [], InspectSlice> = (set, get) => {
  const selected = () => get().videos.find((v) => v.id === get().selectedId);

  const inputFor = () => {
    const video = selected();
    if (!video?.timeline) return null;
    return { video: { id: video.id, path: video.relativePath, timeline: video.timeline }, plan: planFrames(video.timeline, get().spec), library: librarySources(get().videos), slots: get().slots };
  };

  const render = (view: AdversarialView, videoId: string, t0: number, signal: AbortSignal) =>
    renderView(view, videoId, get().videos, { maxSide: get().maxSide, overlay: get().overlay, signal, t0, onProgress: (done, total) => set({ inspectProgress: { done, total, startedAt: t0 } }) });

  let running: AbortController | null = null;

  const refresh = async () => {
    running?.abort();
    const controller = new AbortController();
    running = controller;
    const mine = ++generation;
    const t0 = performance.now();
    const input = inputFor();
    const video = selected();
    if (!input || !video) return set({ rendered: null, gridRendered: {}, inspectProgress: null });
    const { category, specs, grid } = get();
    try {
      const view = applyAdversary(specs[category], input);
      const rendered = await render(view, video.id, t0, controller.signal);
      if (mine !== generation) return;
      set({ rendered, inspectError: null, inspectProgress: null });
      if (grid) {
        const gridRendered: InspectSlice['gridRendered'] = {};
        for (const c of CATEGORIES) {
          try {
            gridRendered[c] = c === category ? rendered : await render(applyAdversary(specs[c], input), video.id, performance.now(), controller.signal);
          } catch (e) {
            gridRendered[c] = errorOf(e);
          }
          if (mine !== generation) return;
        }
        set({ gridRendered });
      }
    } catch (e) {
      if (mine !== generation) return;
      const err = errorOf(e);
      set({ inspectError: err, inspectProgress: null });
      if (err.name !== 'CancelledError') get().addLog('error', video.name, `${err.name}: ${err.message}`);
    }
  };

  /**
   * Tries a new spec: one that does not apply leaves everything as it was and
   * shows the error; one that does is kept, its category shown, and drawn.
   */
  const trySpec = (given: AdversarySpec) => {
    const spec = namedByPath(given, get().videos);
    const input = inputFor();
    if (input) {
      try {
        applyAdversary(spec, input);
      } catch (e) {
        set({ inspectError: errorOf(e) });
        return;
      }
    }
    set((s) => ({ category: spec.category, specs: { ...s.specs, [spec.category]: spec }, inspectError: null }));
    void refresh();
  };
  const current = () => get().specs[get().category];

  return {
    category: 'spatial',
    specs: DEFAULT_SPECS,
    slots: {},
    overlay: false,
    grid: false,
    rendered: null,
    gridRendered: {},
    inspectError: null,
    inspectProgress: null,
    cancelInspect: () => running?.abort(),
    position: 0,
    playing: false,

    setCategory: (category) => {
      set({ category, inspectError: null });
      void refresh();
    },
    setRecipe: (recipe) => {
      const spec = current();
      const params: Record<string, ParamValue> = {};
      // A new recipe starts from its defaults; a video parameter keeps the last choice or takes another library video.
      for (const [name, p] of Object.entries(RECIPES.get(recipe)?.params ?? {})) {
        if (p.kind !== 'video') continue;
        const other = spec.params[name] ?? get().videos.find((v) => v.id !== get().selectedId && isDecodable(v))?.relativePath;
        if (other !== undefined) params[name] = other;
      }
      trySpec({ ...spec, recipe, params });
    },
    setParam: (name, value) => {
      const spec = current();
      const params = { ...spec.params };
      if (value === undefined) delete params[name];
      else params[name] = value;
      trySpec({ ...spec, params });
    },
    setSeed: (seed) => trySpec({ ...current(), seed }),
    reroll: () => trySpec({ ...current(), seed: (current().seed + 1) >>> 0 }),
    setSlot: (name, value) => {
      set((s) => ({ slots: { ...s.slots, [name]: value } }));
      void refresh();
    },
    setSpecJson: (text) => {
      try {
        trySpec(parseAdversarySpec(text));
      } catch (e) {
        set({ inspectError: errorOf(e) });
      }
    },
    toggleOverlay: () => {
      set((s) => ({ overlay: !s.overlay }));
      void refresh();
    },
    toggleGrid: () => {
      set((s) => ({ grid: !s.grid }));
      void refresh();
    },
    setPosition: (position) => set({ position: Math.min(Math.max(position, 0), 0.999999) }),
    stepPosition: (direction) => {
      const r = get().rendered;
      const n = Math.max(r?.preferred.length ?? 1, r?.adversarial.length ?? 1);
      const slot = Math.min(n - 1, Math.max(0, Math.floor(get().position * n) + direction));
      set({ position: (slot + 0.5) / n, playing: false });
    },
    setPlaying: (playing) => set({ playing }),
    refreshInspect: refresh,
  };
};
