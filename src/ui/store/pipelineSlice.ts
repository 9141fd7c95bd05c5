/**
 * The Pipeline view's state: endpoint, judge and run settings (saved), API
 * keys (memory only unless an endpoint's `rememberKey` is on), the last
 * connection check and the current run.
 */
import type { StateCreator } from 'zustand';
import { type ApiKeys, DEFAULT_ENDPOINT, DEFAULT_JUDGE, DEFAULT_RUN, type EndpointSettings, type JudgeSettings, type RunSettings } from '../pipeline/pipelineSettings';
import type { Workbench } from './index';

export interface PipelineSlice {
  pipelineEndpoint: EndpointSettings;
  pipelineJudge: JudgeSettings;
  pipelineRunSettings: RunSettings;
  pipelineKeys: ApiKeys;
  setPipelineEndpoint(patch: Partial<EndpointSettings>): void;
  setPipelineJudge(patch: Partial<JudgeSettings>): void;
  setPipelineRunSettings(patch: Partial<RunSettings>): void;
  setPipelineKey(which: keyof ApiKeys, key: string): void;
}

export const createPipelineSlice: StateCreator<Workbench, [], [], PipelineSlice> = (set) => ({
  pipelineEndpoint: DEFAULT_ENDPOINT,
  pipelineJudge: DEFAULT_JUDGE,
  pipelineRunSettings: DEFAULT_RUN,
  pipelineKeys: { endpoint: '', judge: '' },
  setPipelineEndpoint: (patch) => set((s) => ({ pipelineEndpoint: { ...s.pipelineEndpoint, ...patch } })),
  setPipelineJudge: (patch) => set((s) => ({ pipelineJudge: { ...s.pipelineJudge, ...patch } })),
  setPipelineRunSettings: (patch) => set((s) => ({ pipelineRunSettings: { ...s.pipelineRunSettings, ...patch } })),
  setPipelineKey: (which, key) => set((s) => ({ pipelineKeys: { ...s.pipelineKeys, [which]: key } })),
});
