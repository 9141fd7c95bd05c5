/** Inspect: the selected video's preferred view and its adversary side by side, with the queries. */
import { useEffect, useState } from 'react';
import { keyHint } from '../keyboard';
import { useWorkbench } from '../store';
import { AdversaryControls, CategoryTabs } from './AdversaryControls';
import { CategoryGrid } from './CategoryGrid';
import { ModelMarginPanel } from './ModelMarginPanel';
import { QueryPanel } from './QueryPanel';
import { ViewPlayers, slotAt } from './ViewPlayers';
import { ViewStrip } from './ViewStrip';
import { timeLeft } from '../format';

export function InspectView() {
  const video = useWorkbench((s) => s.videos.find((v) => v.id === s.selectedId));
  const videos = useWorkbench((s) => s.videos);
  const samplingSpec = useWorkbench((s) => s.spec);
  const maxSide = useWorkbench((s) => s.maxSide);
  const rendered = useWorkbench((s) => s.rendered);
  const error = useWorkbench((s) => s.inspectError);
  const progress = useWorkbench((s) => s.inspectProgress);
  const position = useWorkbench((s) => s.position);
  const overlay = useWorkbench((s) => s.overlay);
  const grid = useWorkbench((s) => s.grid);
  const { refreshInspect, toggleOverlay, toggleGrid, setPosition, cancelInspect } = useWorkbench.getState();
  const [hovered, setHovered] = useState<number | null>(null);
  const ready = !!video?.timeline && video.status === 'ready';

  useEffect(() => {
    if (ready) void refreshInspect();
  }, [ready, video?.id, samplingSpec, maxSide, refreshInspect]);

  if (!video) return <p className="empty" data-testid="inspect-empty">Select a video in the Library (or press I) to inspect its adversaries.</p>;
  const current = rendered && rendered.videoId === video.id ? rendered : null;
  const name = (id: string) => videos.find((v) => v.id === id)?.name ?? id;
  const pick = (n: number) => (slot: number) => setPosition((slot + 0.5) / n);

  return (
    <section className="inspect" aria-label="Inspect" data-testid="inspect" data-render-ms={current?.renderMs.toFixed(1)} data-spec={current ? JSON.stringify(current.view.spec) : ''}>
      <header className="detail-header">
        <h2 title={video.relativePath}>{video.name}</h2>
        <CategoryTabs />
        <span className="spacer" />
        <label className="toggle" title={keyHint('toggle-overlay')}><input type="checkbox" checked={overlay} onChange={toggleOverlay} data-testid="overlay-toggle" /> Difference</label>
        <label className="toggle" title={keyHint('toggle-grid')}><input type="checkbox" checked={grid} onChange={toggleGrid} data-testid="grid-toggle" /> All categories</label>
      </header>
      {error && <p className="card-error" role="alert" data-testid="adversary-error"><strong>{error.name}</strong>{error.field ? ` (${error.field})` : ''}: {error.message}</p>}
      {progress && (
        <div className="progress-row">
          <progress data-testid="inspect-progress" max={progress.total} value={progress.done} />
          <span>decoding {progress.done}/{progress.total}{timeLeft(progress, performance.now())}</span>
          <button type="button" data-testid="inspect-cancel" title={keyHint('cancel')} onClick={cancelInspect}>Cancel</button>
        </div>
      )}
      {!ready && <p className="muted">{video.status === 'error' ? 'This video cannot be decoded.' : 'Probing…'}</p>}
      {grid ? <CategoryGrid /> : current && (
        <>
          {/* The filmstrips sit right under the players; the controls have their own column beside both. */}
          <div className="inspect-top">
            <div className="inspect-main">
              <ViewPlayers rendered={current} />
              <ViewStrip label="Preferred" testId="preferred-strip" frames={current.view.preferred.frames} mainVideo={video.id} pixels={current.preferred} current={slotAt(position, current.preferred.length)} highlight={hovered} videoName={name} onPick={pick(current.preferred.length)} />
              <ViewStrip label="Adversarial" testId="adversarial-strip" frames={current.view.adversarial.frames} mainVideo={video.id} pixels={overlay ? current.diffs.map((d, i) => d ?? current.adversarial[i]) : current.adversarial} current={slotAt(position, current.adversarial.length)} videoName={name} onPick={pick(current.adversarial.length)} onHover={setHovered} />
            </div>
            <aside className="inspect-side" data-testid="inspect-side">
              <AdversaryControls />
              <QueryPanel rendered={current} />
              <ModelMarginPanel rendered={current} />
              {current.view.notes.map((n) => <p key={n} className="note">{n}</p>)}
            </aside>
          </div>
        </>
      )}
      {!grid && !current && ready && !error && <AdversaryControls />}
    </section>
  );
}
