/** The pair's preferred and adversarial frames, rebuilt from its adversary spec when its video is in the library. */
import { useEffect, useState } from 'react';
import { applyAdversary } from '../../adversary';
import { planFrames } from '../../media/samplers';
import { type PreferencePair, matchVideos } from '../../pairs';
import { type RenderedView, librarySources, renderView } from '../frames/renderView';
import { ViewStrip } from '../inspect/ViewStrip';
import { useWorkbench } from '../store';

export function PairFrames({ pair }: { pair: PreferencePair }) {
  const videos = useWorkbench((s) => s.videos);
  const maxSide = useWorkbench((s) => s.maxSide);
  const [state, setState] = useState<{ id: string; rendered?: RenderedView; note?: string } | null>(null);
  const videoId = matchVideos([pair], videos).matched.get(pair.id);
  const video = videos.find((v) => v.id === videoId);

  useEffect(() => {
    let live = true;
    if (!video?.timeline) {
      setState({ id: pair.id, note: pair.video.path ? `${pair.video.path} is not in the library: add it to see the frames.` : 'This pair names no video.' });
      return;
    }
    const spec = pair.adversary ?? { category: 'cross-frame' as const, recipe: 'paper.cross-frame', params: {}, seed: 0 };
    const library = librarySources(videos);
    try {
      const view = applyAdversary(spec, { video: { id: video.id, path: video.relativePath, timeline: video.timeline }, plan: planFrames(video.timeline, { mode: 'uniform', n: 32 }), library });
      renderView(view, video.id, videos, { maxSide: Math.min(maxSide, 160) })
        .then((rendered) => live && setState({ id: pair.id, rendered, note: pair.adversary ? undefined : 'No adversary spec: the paper\'s cross-frame views are shown.' }))
        .catch((e: Error) => live && setState({ id: pair.id, note: `${e.name}: ${e.message}` }));
    } catch (e) {
      setState({ id: pair.id, note: `${(e as Error).name}: ${(e as Error).message}` });
    }
    return () => { live = false; };
  }, [pair.id, pair.adversary, pair.video.path, video, videos, maxSide]);

  if (!state || state.id !== pair.id) return <p className="muted">Loading frames…</p>;
  const r = state.rendered;
  const name = (id: string) => videos.find((v) => v.id === id)?.name ?? id;
  return (
    <div className="pair-frames" data-testid="pair-frames">
      {state.note && <p className="note">{state.note}</p>}
      {r && (
        <>
          <ViewStrip label="Preferred" testId="pair-preferred" frames={r.view.preferred.frames} mainVideo={r.videoId} pixels={r.preferred} current={-1} videoName={name} onPick={() => {}} />
          <ViewStrip label="Adversarial" testId="pair-adversarial" frames={r.view.adversarial.frames} mainVideo={r.videoId} pixels={r.adversarial} current={-1} videoName={name} onPick={() => {}} onHover={() => {}} />
        </>
      )}
    </div>
  );
}
