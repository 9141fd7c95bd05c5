/** The shell: navigation, the current view, the log and the shortcut list. */
import { Suspense, lazy, useEffect } from 'react';
import { keyHint, useShortcuts } from './keyboard';
import { CurateView } from './curate/CurateView';
import { InspectView } from './inspect/InspectView';
import { LibraryView } from './library/LibraryView';
import { AskView } from './ask/AskView';
import { EvaluateView } from './evaluate/EvaluateView';
import { AdapterSwitch } from './align/AdapterSwitch';

// Loaded when first opened: the first view stays within its JavaScript budget.
const AlignView = lazy(() => import('./align/AlignView').then((m) => ({ default: m.AlignView })));
const PipelineView = lazy(() => import('./pipeline/PipelineView').then((m) => ({ default: m.PipelineView })));
import { HelpOverlay } from './shell/HelpOverlay';
import { NAV_VIEWS, VIEW_LABELS } from './shell/views';
import { ViewBoundary } from './shell/ViewBoundary';
import { LogButton, LogPanel } from './shell/LogPanel';
import { useWorkbench } from './store';

export function App() {
  useShortcuts();
  const theme = useWorkbench((s) => s.theme);
  const toggleTheme = useWorkbench((s) => s.toggleTheme);
  const loadLibrary = useWorkbench((s) => s.loadLibrary);
  const setHelpOpen = useWorkbench((s) => s.setHelpOpen);
  const selectedName = useWorkbench((s) => s.videos.find((v) => v.id === s.selectedId)?.name);
  // The project loadPairs will open: the persisted one, else the first.
  const projectName = useWorkbench((s) => (s.projects.find((p) => p.id === s.projectId) ?? s.projects[0])?.name);
  const view = useWorkbench((s) => s.view);
  const setView = useWorkbench((s) => s.setView);
  const reportViewCrash = useWorkbench((s) => s.reportViewCrash);

  useEffect(() => { document.documentElement.dataset.theme = theme; }, [theme]);
  useEffect(() => {
    loadLibrary().then(() => useWorkbench.getState().seedDemoVideos()).catch((e: Error) => useWorkbench.getState().addLog('error', 'library', `could not open the library: ${e.message}`));
  }, [loadLibrary]);
  useEffect(() => { void useWorkbench.getState().loadStoredAdapter(); }, []);
  useEffect(() => {
    useWorkbench.getState().loadProjects().catch((e: Error) => useWorkbench.getState().addLog('error', 'pairs', `could not open the pairs database: ${e.message}`));
  }, []);

  return (
    <div className="app">
      <nav className="nav" aria-label="Views">
        <div className="brand">PASTA<span>Workbench</span></div>
        {NAV_VIEWS.map(({ view: v, shortcut }) => (
          <a
            key={v}
            className={`nav-item${view === v ? ' active' : ''}`}
            aria-current={view === v ? 'page' : undefined}
            href={`#${v}`}
            title={keyHint(shortcut)}
            onClick={(e) => { e.preventDefault(); setView(v); }}
          >
            {VIEW_LABELS[v]}
          </a>
        ))}
      </nav>
      <div className="main">
        <header className="topbar">
          <span className="project" data-testid="current-project">{projectName ? <>Project: <strong>{projectName}</strong></> : 'No project yet'}</span>
          <span className="current-video" data-testid="current-video">{selectedName ? <>Video: <strong>{selectedName}</strong></> : 'No video selected'}</span>
          <span className="spacer" />
          <AdapterSwitch />
          <LogButton />
          <button type="button" title={keyHint('toggle-theme')} onClick={toggleTheme}>{theme === 'light' ? 'Dark' : 'Light'} theme</button>
          <button type="button" title={keyHint('help')} onClick={() => setHelpOpen(true)}>?</button>
        </header>
        <main className="view">
          <ViewBoundary key={view} view={view} onCrash={reportViewCrash} onLeave={() => setView('library')}>
            {view === 'inspect' ? <InspectView /> : view === 'curate' ? <CurateView /> : view === 'ask' ? <AskView /> : view === 'evaluate' ? <EvaluateView /> : view === 'align' ? <Suspense fallback={<p className="muted">loading Align…</p>}><AlignView /></Suspense> : view === 'pipeline' ? <Suspense fallback={<p className="muted">loading Pipeline…</p>}><PipelineView /></Suspense> : <LibraryView />}
          </ViewBoundary>
        </main>
      </div>
      <LogPanel />
      <HelpOverlay />
    </div>
  );
}
