/** Align: annotation-free DPO of the built-in model in the browser, from self-generated pairs to a LoRA adapter, with its gains measured per category. */
import { useEffect } from 'react';
import { ModelStatus } from '../ask/AskPanel';
import { useWorkbench } from '../store';
import { AblationPanel } from './AblationPanel';
import { AdapterPanel } from './AdapterPanel';
import { BeforeAfterPanel } from './BeforeAfterPanel';
import { PairGenerationPanel } from './PairGenerationPanel';
import { TrainingPanel } from './TrainingPanel';
import './align.css';

function AlignModelLine() {
  const info = useWorkbench((s) => s.alignModel);
  if (!info) return <p className="muted" data-testid="align-model">The align worker loads the model on first use.</p>;
  return <p className="muted" data-testid="align-model" data-provider={info.provider}>Align worker: {info.name} on <strong>{info.provider}</strong> ({info.reason}).</p>;
}

export function AlignView() {
  useEffect(() => {
    const s = useWorkbench.getState();
    if (!s.pairsLoaded) void s.loadPairs();
    void s.loadAlignRun();
  }, []);
  return (
    <section className="align" aria-label="Align" data-testid="align-view">
      <header className="detail-header"><h2>Align</h2><span className="muted">self-generated preference pairs, LoRA DPO on ONNX Runtime, held-out gains per category</span></header>
      <ModelStatus />
      <AlignModelLine />
      <PairGenerationPanel />
      <TrainingPanel />
      <AdapterPanel />
      <BeforeAfterPanel />
      <AblationPanel />
    </section>
  );
}
