/** The sampled frames in order, each labelled with its slot, source frame index and timestamp. */
import { memo, useEffect, useRef } from 'react';
import type { SampledFrame } from '../../media/frame';

const FrameTile = memo(function FrameTile({ frame, onPick }: { frame: SampledFrame; onPick(t: number): void }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const c = canvas.current!;
    c.width = frame.width;
    c.height = frame.height;
    c.getContext('2d')!.putImageData(new ImageData(frame.data, frame.width, frame.height), 0, 0);
  }, [frame]);
  return (
    <figure className="frame-tile" data-testid="frame-tile" data-index={frame.index} data-slot={frame.slot} data-timestamp={frame.timestamp}>
      <canvas ref={canvas} onClick={() => onPick(frame.timestamp)} title={`Show frame ${frame.index} in the player`} />
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
