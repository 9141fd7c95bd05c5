/** One view's frames in order; adversarial tiles say which preferred frame they came from. */
import { memo, useEffect, useRef } from 'react';
import type { ViewFrame } from '../../adversary';
import type { RgbaFrame } from '../../core/frame';
import { FrameCanvas } from '../FrameCanvas';

interface Props {
  label: string;
  testId: string;
  frames: readonly ViewFrame[];
  /** The video shown; frames from others are named. */
  mainVideo: string;
  pixels: readonly (RgbaFrame | null)[];
  /** The slot under the shared scrubber. */
  current: number;
  /** Highlighted slot (the source of the hovered adversarial frame). */
  highlight?: number | null;
  videoName(id: string): string;
  onPick(slot: number): void;
  onHover?(from: number | null): void;
}

const Tile = memo(function Tile({ frame, pixels, current, highlighted, foreign, onPick, onHover }: {
  frame: ViewFrame;
  pixels: RgbaFrame | null;
  current: boolean;
  highlighted: boolean;
  foreign: string | null;
  onPick(slot: number): void;
  onHover?(from: number | null): void;
}) {
  const origin = frame.from === null ? (foreign ? `from ${foreign}` : 'not in the preferred view') : `from #${frame.from}`;
  return (
    <figure
      className={`frame-tile${current ? ' current' : ''}${highlighted ? ' highlighted' : ''}${frame.ops.length ? ' transformed' : ''}`}
      data-testid="view-tile"
      data-slot={frame.slot}
      data-index={frame.index}
      data-video={frame.video}
      data-from={frame.from ?? ''}
      data-timestamp={frame.timestamp}
      data-ops={frame.ops.length ? JSON.stringify(frame.ops) : undefined}
      onMouseEnter={() => onHover?.(frame.from)}
      onMouseLeave={() => onHover?.(null)}
    >
      {pixels && <FrameCanvas frame={pixels} onClick={() => onPick(frame.slot)} title={`Slot ${frame.slot}: frame ${frame.index} at ${frame.timestamp.toFixed(3)} s, ${origin}`} />}
      <figcaption>
        <span className="slot">#{frame.slot}</span> <span className="index">f{frame.index}</span> <span className="time">{frame.timestamp.toFixed(2)} s</span>
        {onHover && <span className="origin" data-testid="tile-origin" title={origin}>{frame.from === null ? (foreign ? `⇠ ${foreign}` : '⇠ new') : `⇠ #${frame.from}`}</span>}
        {frame.ops.length > 0 && <span className="ops">{frame.ops.map((o) => o.op).join(' + ')}</span>}
      </figcaption>
    </figure>
  );
});

export function ViewStrip({ label, testId, frames, mainVideo, pixels, current, highlight, videoName, onPick, onHover }: Props) {
  // One row that scrolls sideways (both views stay in sight under the players); it follows the scrubber.
  const strip = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const box = strip.current;
    const tile = box?.children[current] as HTMLElement | undefined;
    if (!box || !tile) return;
    const left = tile.offsetLeft; // the strip is the tiles' offset parent (position: relative)
    if (left < box.scrollLeft || left + tile.offsetWidth > box.scrollLeft + box.clientWidth) {
      box.scrollLeft = Math.max(0, left - (box.clientWidth - tile.offsetWidth) / 2);
    }
  }, [current]);
  return (
    <section className="view-strip" aria-label={label}>
      <h3>{label} <span className="muted">{frames.length} frames</span></h3>
      {onHover && (
        // What the origin marks on the tiles mean, in the words the players use.
        <p className="origin-legend muted" data-testid="origin-legend">
          <span>⇠ #n: from preferred frame n</span> <span>⇠ new: not in the preferred view</span>
          {frames.some((f) => f.video !== mainVideo) && <span> ⇠ name: from that video</span>}
        </p>
      )}
      <div className="filmstrip" data-testid={testId} ref={strip}>
        {frames.map((f, i) => (
          <Tile
            key={f.slot}
            frame={f}
            pixels={pixels[i] ?? null}
            current={i === current}
            highlighted={highlight === f.slot}
            foreign={f.video !== mainVideo ? videoName(f.video) : null}
            onPick={onPick}
            onHover={onHover}
          />
        ))}
      </div>
    </section>
  );
}
