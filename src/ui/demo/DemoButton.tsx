/** "Add demo videos": brings the synthetic demo videos (back) into the library; shows how many are made while it works. */
import { useWorkbench } from '../store';

export function DemoButton() {
  const progress = useWorkbench((s) => s.demoProgress);
  const addDemoVideos = useWorkbench((s) => s.addDemoVideos);
  return progress ? (
    <span className="muted" data-testid="demo-progress">Making demo videos {progress.done}/{progress.total}…</span>
  ) : (
    <button type="button" data-testid="add-demo-videos" title="Add the synthetic demo videos, whose questions have known answers" onClick={() => void addDemoVideos()}>
      Add demo videos
    </button>
  );
}
