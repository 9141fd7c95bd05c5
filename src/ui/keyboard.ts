/**
 * One keyboard system for the whole app: every shortcut is declared here
 * once, `?` lists them, and tooltips show them through `keyHint`.
 */
import { useEffect } from 'react';
import { useWorkbench } from './store';
import type { View } from './store/uiSlice';

/** Every shortcut's id: tooltips name a shortcut by it, so rewording a description breaks nothing. */
export type ShortcutId =
  'help'
  | 'toggle-inspect'
  | 'open-curate'
  | 'open-ask'
  | 'open-evaluate'
  | 'open-align'
  | 'open-pipeline'
  | 'generate-pairs'
  | 'start-training'
  | 'pause-training'
  | 'toggle-adapter'
  | 'next-question'
  | 'previous-question'
  | 'run-benchmark'
  | 'add-files'
  | 'add-folder'
  | 'next-video'
  | 'previous-video'
  | 'accept-pair'
  | 'reject-pair'
  | 'swap-pair'
  | 'edit-pair'
  | 'next-pair'
  | 'previous-pair'
  | 'bulk-mode'
  | 'export-pairs'
  | 'undo-curation'
  | 'play-player'
  | 'player-back'
  | 'player-forward'
  | 'play-views'
  | 'views-back'
  | 'views-forward'
  | 'category-spatial'
  | 'category-temporal'
  | 'category-cross-frame'
  | 'reroll'
  | 'toggle-overlay'
  | 'toggle-grid'
  | 'remove-video'
  | 'undo-remove'
  | 'cancel'
  | 'toggle-log'
  | 'toggle-theme';

export interface Shortcut {
  id: ShortcutId;
  /** KeyboardEvent.key values that trigger it. */
  keys: string[];
  /** How the key is shown to people. */
  label: string;
  description: string;
  /** Also trigger with Ctrl or Cmd held (e.g. Ctrl+Z). */
  withModifier?: boolean;
  /** The views where it works; all views when absent. */
  views?: View[];
  run(): void;
}

/** DOM actions the view registers (things that need an element, like opening a file picker). */
export const viewActions = {
  openFilePicker: () => {},
  openFolderPicker: () => {},
  togglePlay: () => {},
  stepFrame: (_direction: number) => {},
  seekPlayer: (_seconds: number) => {},
  openExport: () => {},
  /** Ask view: pick the next (or previous) listed question and ask it. */
  stepQuestion: (_direction: number) => {},
  /** Evaluate view: run the benchmark with the typed inputs (when they are valid). */
  runBenchmark: () => {},
  /** Align view: generate pairs with the typed settings (when they are valid). */
  generatePairs: () => {},
  /** Align view: start training, or resume the paused run. */
  startTraining: () => {},
  /** Align view: pause a running run, resume a paused one. */
  pauseTraining: () => {},
};

const store = () => useWorkbench.getState();

export const SHORTCUTS: Shortcut[] = [
  { id: 'help', keys: ['?'], label: '?', description: 'Show or hide this list', run: () => store().setHelpOpen(!store().helpOpen) },
  { id: 'toggle-inspect', keys: ['i'], label: 'I', description: 'Switch between Library and Inspect', run: () => store().setView(store().view === 'inspect' ? 'library' : 'inspect') },
  { id: 'open-curate', keys: ['c'], label: 'C', description: 'Open Curate', run: () => store().setView('curate') },
  { id: 'open-ask', keys: ['a'], label: 'A', description: 'Ask the built-in model about the selected video', run: () => store().setView('ask') },
  { id: 'open-evaluate', keys: ['v'], label: 'V', description: 'Open Evaluate (the held-out benchmark)', run: () => store().setView('evaluate') },
  { id: 'open-align', keys: ['m'], label: 'M', description: 'Open Align (self-generated pairs, DPO training, adapters)', run: () => store().setView('align') },
  { id: 'open-pipeline', keys: ['w'], label: 'W', description: 'Open Pipeline (pairs from Video-LLM servers over the library)', run: () => store().setView('pipeline') },
  { id: 'toggle-adapter', keys: ['u'], label: 'U', description: 'Switch the adapter on or off for every model pass', run: () => { if (store().adapterMeta) void store().setAdapterOn(!store().adapterOn); } },
  { id: 'generate-pairs', keys: ['p'], label: 'P', description: 'Generate pairs', views: ['align'], run: () => viewActions.generatePairs() },
  { id: 'start-training', keys: ['r'], label: 'R', description: 'Start training, or resume the paused run', views: ['align'], run: () => viewActions.startTraining() },
  { id: 'pause-training', keys: [' '], label: 'Space', description: 'Pause or resume training', views: ['align'], run: () => viewActions.pauseTraining() },
  { id: 'next-question', keys: ['n'], label: 'N', description: 'Ask the next question of the list', views: ['ask'], run: () => viewActions.stepQuestion(1) },
  { id: 'previous-question', keys: ['p'], label: 'P', description: 'Ask the previous question of the list', views: ['ask'], run: () => viewActions.stepQuestion(-1) },
  { id: 'run-benchmark', keys: ['r'], label: 'R', description: 'Run the benchmark', views: ['evaluate'], run: () => viewActions.runBenchmark() },
  { id: 'add-files', keys: ['o'], label: 'O', description: 'Add video files', views: ['library'], run: () => viewActions.openFilePicker() },
  { id: 'add-folder', keys: ['f'], label: 'F', description: 'Add a whole folder', views: ['library'], run: () => viewActions.openFolderPicker() },
  { id: 'next-video', keys: ['j', 'ArrowDown'], label: 'J / ↓', description: 'Next video', views: ['library', 'ask', 'inspect'], run: () => store().selectRelative(1) },
  { id: 'previous-video', keys: ['k', 'ArrowUp'], label: 'K / ↑', description: 'Previous video', views: ['library', 'ask', 'inspect'], run: () => store().selectRelative(-1) },
  { id: 'accept-pair', keys: ['Enter'], label: 'Enter', description: 'Accept the pair', views: ['curate'], run: () => void store().decide('accepted') },
  { id: 'reject-pair', keys: ['Backspace'], label: 'Backspace', description: 'Reject the pair', views: ['curate'], run: () => void store().decide('rejected') },
  { id: 'swap-pair', keys: ['s'], label: 'S', description: 'Swap chosen and rejected', views: ['curate'], run: () => void store().swapCurrent() },
  { id: 'edit-pair', keys: ['e'], label: 'E', description: 'Edit the pair', views: ['curate'], run: () => store().setEditing(true) },
  { id: 'next-pair', keys: ['ArrowRight', 'ArrowDown'], label: '→ / ↓', description: 'Next pair', views: ['curate'], run: () => store().moveCursor(1) },
  { id: 'previous-pair', keys: ['ArrowLeft', 'ArrowUp'], label: '← / ↑', description: 'Previous pair', views: ['curate'], run: () => store().moveCursor(-1) },
  { id: 'bulk-mode', keys: ['b'], label: 'B', description: 'Bulk mode: select many pairs', views: ['curate'], run: () => store().toggleBulk() },
  { id: 'export-pairs', keys: ['x'], label: 'X', description: 'Export pairs', views: ['curate'], run: () => viewActions.openExport() },
  { id: 'undo-curation', keys: ['z'], label: 'Ctrl+Z', description: 'Undo the last curation action', withModifier: true, views: ['curate'], run: () => void store().undoPairs() },
  { id: 'play-player', keys: [' '], label: 'Space', description: 'Play or pause the player', views: ['library'], run: () => viewActions.togglePlay() },
  { id: 'player-back', keys: ['<', ','], label: '<', description: 'Step the player one frame back', views: ['library'], run: () => viewActions.stepFrame(-1) },
  { id: 'player-forward', keys: ['>', '.'], label: '>', description: 'Step the player one frame forward', views: ['library'], run: () => viewActions.stepFrame(1) },
  { id: 'play-views', keys: [' '], label: 'Space', description: 'Play or pause both views', views: ['inspect'], run: () => store().setPlaying(!store().playing) },
  { id: 'views-back', keys: ['<', ','], label: '<', description: 'Step both views one frame back', views: ['inspect'], run: () => store().stepPosition(-1) },
  { id: 'views-forward', keys: ['>', '.'], label: '>', description: 'Step both views one frame forward', views: ['inspect'], run: () => store().stepPosition(1) },
  { id: 'category-spatial', keys: ['1'], label: '1', description: 'Spatial adversaries', views: ['inspect'], run: () => store().setCategory('spatial') },
  { id: 'category-temporal', keys: ['2'], label: '2', description: 'Temporal adversaries', views: ['inspect'], run: () => store().setCategory('temporal') },
  { id: 'category-cross-frame', keys: ['3'], label: '3', description: 'Cross-frame adversaries', views: ['inspect'], run: () => store().setCategory('cross-frame') },
  { id: 'reroll', keys: ['r'], label: 'R', description: 'Re-roll the seed', views: ['inspect'], run: () => store().reroll() },
  { id: 'toggle-overlay', keys: ['d'], label: 'D', description: 'Show or hide the difference overlay', views: ['inspect'], run: () => store().toggleOverlay() },
  { id: 'toggle-grid', keys: ['g'], label: 'G', description: 'Show all three categories at once', views: ['inspect'], run: () => store().toggleGrid() },
  { id: 'remove-video', keys: ['Delete'], label: 'Del', description: 'Remove the selected video from the library', views: ['library', 'inspect'], run: () => { const id = store().selectedId; if (id) void store().removeVideo(id); } },
  { id: 'undo-remove', keys: ['z'], label: 'Ctrl+Z', description: 'Undo the last removal', withModifier: true, views: ['library', 'inspect'], run: () => void store().undoRemove() },
  { id: 'cancel', keys: ['Escape'], label: 'Esc', description: 'Cancel sampling, a benchmark or pair generation (keeping the pairs made so far), close panels', run: () => {
    store().cancelSampling();
    store().cancelBenchmark();
    const job = store().alignJob?.job;
    if (job === 'pairs') store().stopPairs();
    if (job === 'benchmark') store().cancelAlignBenchmark();
    store().setHelpOpen(false);
    store().setLogOpen(false);
    store().setEditing(false);
  } },
  { id: 'toggle-log', keys: ['l'], label: 'L', description: 'Show or hide the log', run: () => store().setLogOpen(!store().logOpen) },
  { id: 'toggle-theme', keys: ['t'], label: 'T', description: 'Switch light / dark theme', run: () => store().toggleTheme() },
];

/** The shortcuts that work in `view`. */
export const shortcutsOf = (view: View) => SHORTCUTS.filter((s) => !s.views || s.views.includes(view));

const BY_ID = new Map(SHORTCUTS.map((s) => [s.id, s]));

/** A tooltip for the control that does what shortcut `id` does: its description and key, e.g. "Export pairs (X)". */
export function keyHint(id: ShortcutId): string {
  const s = BY_ID.get(id)!;
  return `${s.description} (${s.label})`;
}

function isTyping(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  return !!el && (el.isContentEditable || ['INPUT', 'SELECT', 'TEXTAREA'].includes(el.tagName));
}

/** Installs the global key handler. */
export function useShortcuts(): void {
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (isTyping(event.target) && event.key !== 'Escape') return;
      const tag = (event.target as HTMLElement | null)?.tagName;
      if ((event.key === ' ' || event.key === 'Enter') && (tag === 'BUTTON' || tag === 'SUMMARY' || tag === 'A')) return; // let the key press the control
      const modifier = event.ctrlKey || event.metaKey;
      const view = store().view;
      const shortcut = SHORTCUTS.find((s) => s.keys.includes(event.key) && !!s.withModifier === modifier && (!s.views || s.views.includes(view)));
      if (!shortcut || event.altKey) return;
      event.preventDefault();
      shortcut.run();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}
