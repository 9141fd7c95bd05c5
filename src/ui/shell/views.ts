/** The left navigation's views in order: each one's label and the shortcut that opens it. */
import type { ShortcutId } from '../keyboard';
import type { View } from '../store/uiSlice';

export const VIEW_LABELS: Record<View, string> = { library: 'Library', ask: 'Ask', inspect: 'Inspect', curate: 'Curate', align: 'Align', evaluate: 'Evaluate', pipeline: 'Pipeline' };

export const NAV_VIEWS: readonly { view: View; shortcut: ShortcutId }[] = [
  { view: 'library', shortcut: 'toggle-inspect' },
  { view: 'ask', shortcut: 'open-ask' },
  { view: 'inspect', shortcut: 'toggle-inspect' },
  { view: 'curate', shortcut: 'open-curate' },
  { view: 'pipeline', shortcut: 'open-pipeline' },
  { view: 'align', shortcut: 'open-align' },
  { view: 'evaluate', shortcut: 'open-evaluate' },
];
