/** Ask: the built-in model answers questions about the selected video (the scene's own questions for a demo video, or typed ones). */
import { useWorkbench } from '../store';
import { AskPanel } from './AskPanel';
import './ask.css';

export function AskView() {
  const videos = useWorkbench((s) => s.videos);
  const selectedId = useWorkbench((s) => s.selectedId);
  const select = useWorkbench((s) => s.select);
  const video = videos.find((v) => v.id === selectedId);
  return (
    <section className="ask-view" aria-label="Ask" data-testid="ask-view">
      <nav className="ask-list" aria-label="Videos to ask about">
        <h3>Videos</h3>
        {videos.length === 0 && <p className="muted">The library is empty: add videos (or the demo videos) in the Library.</p>}
        <ul>
          {videos.map((v) => (
            <li key={v.id}>
              <button type="button" className={`ask-list-item${v.id === selectedId ? ' selected' : ''}`} data-testid="ask-video" data-name={v.name} onClick={() => select(v.id)}>
                <span className="ask-list-name" title={v.relativePath}>{v.name}</span>
                {v.scene ? <span className="badge">synthetic</span> : <span className="badge visual">your video</span>}
              </button>
            </li>
          ))}
        </ul>
      </nav>
      <div className="ask-main">
        {video ? <AskPanel key={video.id} video={video} /> : <p className="empty" data-testid="ask-empty">Select a video (J / K) to ask the model about it.</p>}
      </div>
    </section>
  );
}
