/** The selected video: player, sampler, progress and the sampled filmstrip. */
import { useEffect, useRef, useState } from 'react';
import type { VideoRecord } from '../../library/videoRecord';
import { describeSpec } from '../../media/samplers';
import { indexAtTime, seekTimeOf } from '../../media/timeline';
import { keyHint, viewActions } from '../keyboard';
import { useWorkbench } from '../store';
import { Filmstrip } from './Filmstrip';
import { SampleMarks } from './SampleMarks';
import { SamplerControls } from './SamplerControls';

function Player({ video }: { video: VideoRecord }) {
  const ref = useRef<HTMLVideoElement>(null);
  const [url, setUrl] = useState<string>();
  useEffect(() => {
    const u = URL.createObjectURL(video.file);
    setUrl(u);
    return () => URL.revokeObjectURL(u);
  }, [video.file]);
  useEffect(() => {
    const tl = video.timeline;
    viewActions.togglePlay = () => {
      const v = ref.current;
      if (v) void (v.paused ? v.play().catch(() => {}) : v.pause());
    };
    // Steps by the file's own frame times, so variable-frame-rate video steps frame by frame too.
    viewActions.seekPlayer = (seconds) => {
      const v = ref.current;
      if (!v) return;
      v.pause();
      v.currentTime = seconds;
    };
    viewActions.stepFrame = (direction) => {
      const v = ref.current;
      if (!v || !tl) return;
      v.pause();
      v.currentTime = seekTimeOf(tl, indexAtTime(tl, v.currentTime + tl.startTime) + direction) - tl.startTime;
    };
  }, [video.timeline]);
  // A file the browser cannot play would leave the element loading for ever: say so instead.
  const [failed, setFailed] = useState<string | null>(null);
  useEffect(() => setFailed(null), [video.file]);
  if (video.probe?.decodable === false || failed) {
    const codec = video.probe?.codecName ?? 'this codec';
    return (
      <div className="player player-unavailable" data-testid="player-unavailable">
        {video.probe?.decodable === false
          ? <p>This browser has no decoder for {codec}, so the video cannot be played or sampled here. Its details above are from the container; convert it (e.g. to H.264) or use a browser that decodes {codec}.</p>
          : <p>The player cannot play this file (the browser says: {failed}).</p>}
      </div>
    );
  }
  const onError = () => {
    const e = ref.current?.error;
    setFailed(e ? `${e.message || 'media error'} (code ${e.code})` : 'media error');
  };
  return <video ref={ref} className="player" data-testid="player" src={url} controls muted playsInline onError={onError} />;
}

/** The same failure already shown with the player (said once, not twice). */
const sameError = (a: { name: string; message: string }, b: { name: string; message: string } | undefined) => !!b && a.name === b.name && a.message === b.message;

/** Stable, and resolved at call time: the player installs its seek after the first render. */
const seekPlayer = (seconds: number) => viewActions.seekPlayer(seconds);

export function VideoDetail({ video }: { video: VideoRecord }) {
  const spec = useWorkbench((s) => s.spec);
  const maxSide = useWorkbench((s) => s.maxSide);
  const plan = useWorkbench((s) => (s.framesFor === video.id ? s.plan : null));
  const frames = useWorkbench((s) => (s.framesFor === video.id ? s.frames : null));
  const progress = useWorkbench((s) => (s.framesFor === video.id ? s.progress : null));
  const error = useWorkbench((s) => (s.framesFor === video.id ? s.samplingError : null));
  const sampleSelected = useWorkbench((s) => s.sampleSelected);
  const cancel = useWorkbench((s) => s.cancelSampling);

  const ready = video.status !== 'probing' && !!video.timeline;
  useEffect(() => {
    if (ready) void sampleSelected();
    else cancel(); // a decode of the previously selected video must not run on
  }, [ready, video.id, spec, maxSide, sampleSelected, cancel]);


  return (
    <section className="video-detail" aria-label="Selected video">
      <header className="detail-header">
        <h2 title={video.relativePath}>{video.name}</h2>
        {video.probe && <span className="muted">{video.probe.codecName} · {video.probe.width}×{video.probe.height}</span>}
      </header>
      <div className="detail-top">
        <div className="player-box">
          <Player video={video} />
          {plan && video.timeline && <SampleMarks plan={plan} timeline={video.timeline} onPick={seekPlayer} />}
          {video.error && <p className="card-error" role="alert" data-testid="video-detail-error"><strong>{video.error.name}</strong>: {video.error.message}</p>}
        </div>
        <div className="detail-side">
          <SamplerControls />
          {plan && (
            <p className="plan-summary" data-testid="plan-summary">
              {describeSpec(spec)}: {plan.picks.length} frames at {maxSide} px max side
            </p>
          )}
          {plan?.notes.map((n) => <p key={n} className="note" data-testid="plan-note">{n}</p>)}
          {progress && (
            <div className="progress-row">
              <progress data-testid="sampling-progress" max={progress.total} value={progress.done} />
              <span>{progress.done}/{progress.total}</span>
              <button type="button" title={keyHint('cancel')} onClick={cancel}>Cancel</button>
            </div>
          )}
          {error && error.code === 'cancelled' && (
            // A cancel is the user's choice, not a failure: said plainly, with the way back.
            <p className="note" data-testid="sampling-cancelled">
              Sampling cancelled. <button type="button" onClick={() => void sampleSelected()}>Sample again</button>
            </p>
          )}
          {error && error.code !== 'cancelled' && !sameError(error, video.error) && (
            <p className="card-error" role="alert" data-testid="sampling-error">
              <strong>{error.name}</strong>: {error.message}
            </p>
          )}
        </div>
      </div>
      {frames && <Filmstrip frames={frames} onPick={seekPlayer} />}
    </section>
  );
}
