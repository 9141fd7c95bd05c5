/** Messages between the page and the media Worker. Plain data only (structured clone). */
import type { DecodeSettings } from './decode';
import type { SerializedMediaError } from './errors';
import type { SampledFrame } from './frame';
import type { ProbeResult, ProbeSettings } from './probe';
import type { FramePlan } from './samplers';
import type { FrameTimeline } from './timeline';

export type MediaRequest =
  | { id: number; kind: 'probe'; blob: Blob; options?: ProbeSettings }
  | { id: number; kind: 'decode'; blob: Blob; timeline: FrameTimeline; plan: FramePlan; settings?: DecodeSettings }
  | { id: number; kind: 'thumbnail'; blob: Blob; timeline: FrameTimeline; maxSide?: number }
  | { id: number; kind: 'cancel' };

export interface MediaResults {
  probe: ProbeResult;
  decode: SampledFrame[];
  thumbnail: Blob;
}

export type MediaResponse =
  | { id: number; kind: 'progress'; done: number; total: number }
  | { id: number; kind: 'result'; value: MediaResults[keyof MediaResults] }
  | { id: number; kind: 'error'; error: SerializedMediaError };

/** The part of a Worker (or of a Worker's global scope) the protocol needs. */
export interface MessagePort_ {
  postMessage(message: unknown, transfer?: Transferable[]): void;
  addEventListener(type: 'message', listener: (event: MessageEvent) => void): void;
  /** Workers fire 'error' when their script fails or throws uncaught; ports never do. */
  addEventListener(type: 'error', listener: (event: Event) => void): void;
}
