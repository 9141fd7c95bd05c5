/** Library: every video added, with its metadata, and the selected one in detail. */
import { DemoButton } from '../demo/DemoButton';
import { keyHint } from '../keyboard';
import { useWorkbench } from '../store';
import { AddVideoButtons, DropZone } from './AddVideos';
import { VideoCard } from './VideoCard';
import { VideoDetail } from './VideoDetail';

export function LibraryView() {
  const videos = useWorkbench((s) => s.videos);
  const loaded = useWorkbench((s) => s.libraryLoaded);
  const selectedId = useWorkbench((s) => s.selectedId);
  const lastRemoved = useWorkbench((s) => s.lastRemoved);
  const undoRemove = useWorkbench((s) => s.undoRemove);
  const selected = videos.find((v) => v.id === selectedId);

  return (
    <DropZone>
      <div className="library">
        <div className="library-list">
          <div className="toolbar">
            <AddVideoButtons />
            <DemoButton />
            <span className="muted" data-testid="video-count">{videos.length} video{videos.length === 1 ? '' : 's'}</span>
          </div>
          {lastRemoved && (
            <p className="undo-bar">
              Removed {lastRemoved.name}. <button type="button" title={keyHint('undo-remove')} onClick={() => void undoRemove()}>Undo</button>
            </p>
          )}
          {loaded && videos.length === 0 && (
            <div className="empty-state">
              <p>No videos yet.</p>
              <p className="muted">Drop video files or folders here, or use <em>Add videos</em> (O) / <em>Add folder</em> (F).
                Files stay on this machine: they are stored in this browser only.</p>
            </div>
          )}
          <ul className="video-grid" aria-label="Videos">
            {videos.map((v) => <VideoCard key={v.id} video={v} selected={v.id === selectedId} />)}
          </ul>
        </div>
        <div className="library-detail">
          {selected ? <VideoDetail video={selected} /> : <p className="muted empty-detail">Select a video to sample its frames.</p>}
        </div>
      </div>
    </DropZone>
  );
}
