/** One video in the library grid: thumbnail, metadata, and its error if it cannot be used. */
import { memo, useEffect, useState } from 'react';
import type { VideoRecord } from '../../library/videoRecord';
import { formatBytes, formatDuration, formatFps, rotationLabel, rotationTitle } from '../format';
import { useWorkbench } from '../store';

function useObjectUrl(blob?: Blob): string | undefined {
  const [url, setUrl] = useState<string>();
  useEffect(() => {
    if (!blob) return setUrl(undefined);
    const u = URL.createObjectURL(blob);
    setUrl(u);
    return () => URL.revokeObjectURL(u);
  }, [blob]);
  return url;
}

export const VideoCard = memo(function VideoCard({ video, selected }: { video: VideoRecord; selected: boolean }) {
  const select = useWorkbench((s) => s.select);
  const probeProgress = useWorkbench((s) => s.probeProgress[video.id]);
  const thumb = useObjectUrl(video.thumbnail);
  const p = video.probe;
  return (
    <li
      className={`video-card ${video.status}${selected ? ' selected' : ''}`}
      data-testid="video-card"
      data-name={video.name}
      data-id={video.id}
      data-status={video.status}
      aria-selected={selected}
      onClick={() => select(video.id)}
    >
      <div className="thumb">
        {thumb ? <img src={thumb} alt="" /> : <span className="thumb-placeholder">{video.status === 'probing' ? 'reading…' : '—'}</span>}
        {p && <span className="duration-badge">{formatDuration(p.duration)}</span>}
      </div>
      <div className="card-body">
        <div className="card-title" title={video.relativePath}>{video.relativePath}</div>
        {p && (
          <dl className="meta" data-testid="video-meta">
            <dt>container</dt><dd data-field="container">{p.container}</dd>
            <dt>codec</dt><dd data-field="codec" title={p.codecString ?? undefined}>{p.codecName}</dd>
            <dt>size</dt>
            <dd data-field="resolution" title="the size of the frames a trainer decodes (decord, torchvision, PyAV), as ffprobe reports it">
              {p.width}×{p.height}
              {(p.displayWidth !== p.width || p.displayHeight !== p.height) && (
                <span className="tag" data-field="display-size" title={`non-square pixels: a player stretches the frames to ${p.displayWidth}×${p.displayHeight}; trainers and the sampled frames keep ${p.width}×${p.height}`}>
                  player {p.displayWidth}×{p.displayHeight}
                </span>
              )}
            </dd>
            <dt>fps</dt><dd data-field="fps">{formatFps(p.fps)}{p.variableRate && <span className="tag" title="variable frame rate">VFR</span>}</dd>
            <dt>frames</dt>
            <dd data-field="frames" title={p.countSource === 'estimated' ? 'estimated from duration × frame rate' : `exact (${p.countSource === 'container' ? 'from the container' : 'counted'})`}>
              {p.countSource === 'estimated' ? `≈${p.frameCount}` : p.frameCount}
              {p.countSource === 'estimated' && <span className="tag">est.</span>}
            </dd>
            <dt>audio</dt><dd data-field="audio">{p.hasAudio ? `yes (${p.audioCodec})` : 'no'}</dd>
            <dt>rotation</dt>
            <dd data-field="rotation" title={rotationTitle(p.rotation)}>{rotationLabel(p.rotation)}</dd>
            <dt>file</dt><dd>{formatBytes(video.size)}</dd>
          </dl>
        )}
        {video.status === 'probing' && (
          <progress className="probe-progress" data-testid="probe-progress" max={1} value={probeProgress} title="Reading the frame timeline" />
        )}
        {video.error && (
          <p className="card-error" role="alert" data-testid="video-error">
            <strong>{video.error.name}</strong>: {video.error.message}
          </p>
        )}
      </div>
    </li>
  );
});
