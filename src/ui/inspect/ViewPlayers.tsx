/** The two views as players with one shared scrubber: play/pause, frame step, optional difference overlay. */
import { useEffect } from 'react';
import { keyHint } from '../keyboard';
import { useWorkbench } from '../store';
import type { RenderedView } from '../store/inspectSlice';
import { FrameCanvas } from '../FrameCanvas';

/** Slots advanced per second while playing. */
const PLAY_RATE = 8;

export const slotAt = (position: number, n: number) => Math.min(n - 1, Math.floor(position * n));

function describe(sampling: RenderedView['view']['preferred']['sampling']) {
  if (sampling === 'given plan') return 'the sampled frames';
  switch (sampling.mode) {
    case 'dense': return `dense, up to ${sampling.maxFrames} frames`;
    case 'qwen-fps': return `native rate, up to ${sampling.maxFrames} frames`;
    case 'sparse': return `sparse, ${sampling.fps} fps`;
    case 'uniform': return `${sampling.n} uniform frames`;
    default: return sampling.mode;
  }
}

export function ViewPlayers({ rendered }: { rendered: RenderedView }) {
  const position = useWorkbench((s) => s.position);
  const playing = useWorkbench((s) => s.playing);
  const overlay = useWorkbench((s) => s.overlay);
  const setPosition = useWorkbench((s) => s.setPosition);
  const setPlaying = useWorkbench((s) => s.setPlaying);
  const stepPosition = useWorkbench((s) => s.stepPosition);
  const n = Math.max(rendered.preferred.length, rendered.adversarial.length);

  useEffect(() => {
    if (!playing) return;
    const timer = setInterval(() => {
      const p = useWorkbench.getState().position + 1 / n;
      useWorkbench.getState().setPosition(p >= 1 ? 0 : p);
    }, 1000 / PLAY_RATE);
    return () => clearInterval(timer);
  }, [playing, n]);

  const p = slotAt(position, rendered.preferred.length);
  const a = slotAt(position, rendered.adversarial.length);
  const pf = rendered.view.preferred.frames[p];
  const af = rendered.view.adversarial.frames[a];
  const diff = rendered.diffs[a];
  return (
    <div className="players" data-testid="players">
      <div className="player-pair">
        <figure className="view-player" data-testid="preferred-player" data-slot={p}>
          <figcaption>Preferred: {describe(rendered.view.preferred.sampling)}</figcaption>
          <FrameCanvas frame={rendered.preferred[p]} />
          <span className="muted">#{p} · f{pf.index} · {pf.timestamp.toFixed(3)} s</span>
        </figure>
        <figure className="view-player" data-testid="adversarial-player" data-slot={a} data-overlay={overlay && !!diff}>
          <figcaption>Adversarial: {describe(rendered.view.adversarial.sampling)}</figcaption>
          <FrameCanvas frame={overlay && diff ? diff : rendered.adversarial[a]} />
          <span className="muted">
            #{a} · f{af.index} · {af.timestamp.toFixed(3)} s · {af.from === null ? 'not in the preferred view' : `from preferred #${af.from}`}
            {overlay && !diff && ' · no difference image (another video)'}
          </span>
        </figure>
      </div>
      <div className="scrubber-row">
        <button type="button" title={keyHint('play-views')} onClick={() => setPlaying(!playing)} data-testid="play">{playing ? 'Pause' : 'Play'}</button>
        <button type="button" title={keyHint('views-back')} onClick={() => stepPosition(-1)}>‹</button>
        <input type="range" aria-label="Position in both views" data-testid="scrubber" min={0} max={n - 1} step={1} value={slotAt(position, n)} onChange={(e) => setPosition((Number(e.target.value) + 0.5) / n)} />
        <button type="button" title={keyHint('views-forward')} onClick={() => stepPosition(1)}>›</button>
      </div>
    </div>
  );
}
