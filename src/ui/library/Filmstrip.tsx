/** The sampled frames in order, each labelled with its slot, source frame index and timestamp. */
import { memo } from 'react';
import type { SampledFrame } from '../../core/frame';
import { FrameCanvas } from '../FrameCanvas';

const FrameTile = memo(function FrameTile({ frame, onPick }: { frame: SampledFrame; onPick(t: number): void }) {
  return (
    <figure className="frame-tile" data-testid="frame-tile" data-index={frame.index} data-slot={frame.slot} data-timestamp={frame.timestamp}>
      <FrameCanvas frame={frame} onClick={() => onPick(frame.timestamp)} title={`Show frame ${frame.index} in the player`} />
      <figcaption>
        <span className="slot">#{frame.slot}</span> <span className="index">f{frame.index}</span>{' '}
        <span className="time">{frame.timestamp.toFixed(3)} s</span>
      </figcaption>
    </figure>
  );
});

export function Filmstrip({ frames, onPick }: { frames: SampledFrame[]; onPick(t: number): void }) {
  return (
    <div className="filmstrip" data-testid="filmstrip">
      {frames.map((f) => <FrameTile key={f.slot} frame={f} onPick={onPick} />)}
    </div>
  );
}
