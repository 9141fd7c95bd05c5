/**
 * An alignment run as it is kept in browser storage: its settings, the pairs
 * it trains on (plain data, see trainPairs), the step log up to its last
 * checkpoint and its status; the checkpoint itself (adapters and AdamW
 * moments) is kept apart, so listing a run never reads tensors. The
 * `RunStore` interface is what the align Worker writes through: IndexedDB in
 * the browser (alignDb.ts), a Map in Node tests. DOM-free.
 */
import type { PairCategory } from '../../align';
import type { BuiltinDpoCheckpoint } from '../../train';
import type { TrainSettings } from './alignSettings';
import type { StepPoint } from './metricsStore';
import type { TrainPairSpec } from './trainPairs';

/** running: a Worker is on it (or the tab closed while it was); paused and failed can resume; done and stopped are final. */
export type RunStatus = 'running' | 'paused' | 'done' | 'stopped' | 'failed';

export interface TrainRun {
  id: string;
  createdAt: number;
  updatedAt: number;
  settings: TrainSettings;
  /** The run's categories in order: category weights and pair indices follow it. */
  categories: PairCategory[];
  pairs: TrainPairSpec[];
  status: RunStatus;
  /** Steps up to `checkpointStep` (a resumed run continues from there, so later steps would be redone). */
  log: StepPoint[];
  totalSteps: number;
  /** Step of the stored checkpoint; 0 when there is none yet. */
  checkpointStep: number;
  /** Why it failed or stopped early, named. */
  error: { name: string; message: string } | null;
  /** The provider it trained on last. */
  provider: string | null;
}

/** A checkpoint and why it was taken. */
export interface StoredCheckpoint {
  runId: string;
  /** epoch: after an epoch; pause: where it was paused or stopped; last-good: the state before a step that diverged. */
  kind: 'epoch' | 'pause' | 'last-good' | 'end';
  checkpoint: BuiltinDpoCheckpoint;
}

/** Where runs and their checkpoints are kept. */
export interface RunStore {
  getRun(id: string): Promise<TrainRun | undefined>;
  putRun(run: TrainRun): Promise<void>;
  getCheckpoint(runId: string): Promise<StoredCheckpoint | undefined>;
  /** Writes the checkpoint and then the run, so a run never names a step its checkpoint does not have. */
  putCheckpoint(c: StoredCheckpoint, run: TrainRun): Promise<void>;
}

/** A run a reload finds marked running was cut off (tab closed, Worker crashed): it can resume from its checkpoint. */
export const interrupted = (run: TrainRun): TrainRun => (run.status === 'running' ? { ...run, status: 'paused', error: { name: 'Interrupted', message: `the page was closed or reloaded during training; resume continues from step ${run.checkpointStep}` } } : run);

/** Whether a run can go on from where it is. */
export const canResume = (run: TrainRun | null) => !!run && (run.status === 'paused' || run.status === 'failed');

/** A Map-backed store (tests, and a fallback where IndexedDB is unavailable). */
export function memoryRunStore(): RunStore {
  const runs = new Map<string, TrainRun>();
  const checkpoints = new Map<string, StoredCheckpoint>();
  return {
    getRun: async (id) => structuredClone(runs.get(id)),
    putRun: async (run) => void runs.set(run.id, structuredClone(run)),
    getCheckpoint: async (id) => structuredClone(checkpoints.get(id)),
    putCheckpoint: async (c, run) => {
      checkpoints.set(c.runId, structuredClone(c));
      runs.set(run.id, structuredClone(run));
    },
  };
}
