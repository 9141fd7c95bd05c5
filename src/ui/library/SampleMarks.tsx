/** Where the sampled frames sit in the video: one tick per frame on a bar as long as the video. */
import type { FramePlan } from '../../media/samplers';
import type { FrameTimeline } from '../../media/timeline';

export function SampleMarks({ plan, timeline, onPick }: { plan: FramePlan; timeline: FrameTimeline; onPick(t: number): void }) {
  const { startTime, duration } = timeline;
  const at = (t: number) => `${(100 * (t - startTime)) / Math.max(duration, 1e-9)}%`;
  return (
    <div className="sample-marks" data-testid="sample-marks" aria-label="Positions of the sampled frames">
      {plan.picks.map((p) => (
        <button
          type="button"
          key={p.slot}
          className="mark"
          style={{ left: at(p.timestamp) }}
          title={`#${p.slot}: frame ${p.index} at ${p.timestamp.toFixed(3)} s`}
          onClick={() => onPick(p.timestamp)}
        />
      ))}
    </div>
  );
}
