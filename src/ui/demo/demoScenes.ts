/**
 * The demo library's videos: scenes of the synthetic world rendered smoothly
 * (four frames per tick) at a size a person can see. Pure, so Node tests can
 * check that the frames a uniform 8-frame sampler picks are the model's ticks.
 */
import type { RgbaFrame } from '../../core/frame';
import type { SceneRef } from '../../library/videoRecord';
import { TICKS, type Scene, generateScene, nameOf, renderFrame } from '../../synth';

/** Frames per tick: motion looks smooth, and 8 ticks make 32 frames. */
export const DEMO_FRAMES_PER_TICK = 4;
/** Frames per second of the encoded files: 32 frames, 4 s. */
export const DEMO_FPS = 8;
/** Pixels per side of the encoded files. */
export const DEMO_SIZE = 128;
/** The files' modification time: fixed, so a demo file has the same library id every time it is made. */
export const DEMO_FILE_TIME = Date.UTC(2026, 0, 1);

/** Set once demo videos were offered in this browser, so emptying the library later does not bring them back by itself. */
export const DEMOS_OFFERED_KEY = 'pasta-workbench.demos-offered';

/** The demo scenes: held-out (eval split) scenes with two to four objects and different events. */
export const DEMO_SCENES: readonly SceneRef[] = [1, 2, 3, 5, 8, 13].map((seed) => ({ split: 'eval', seed }));

/**
 * The tick shown by frame `i`. A uniform sampler of 8 takes the frame under
 * the centre of each of 8 equal bins, frames 4k + 2; shifting by two frames
 * makes those exactly the ticks 0..7 the model was trained on (the first two
 * frames hold tick 0, the last ones tick 7).
 */
export const demoTick = (i: number) => Math.min(TICKS - 1, Math.max(0, (i - DEMO_FRAMES_PER_TICK / 2) / DEMO_FRAMES_PER_TICK));

/** Every frame of a demo video of `scene`. */
export function demoFrames(scene: Scene, size = DEMO_SIZE): RgbaFrame[] {
  return Array.from({ length: TICKS * DEMO_FRAMES_PER_TICK }, (_, i) => renderFrame(scene, demoTick(i), size, size) as RgbaFrame);
}

/** The file name of a demo video, e.g. "demo-3 red circle, blue square.mp4". */
export function demoName(ref: SceneRef, index: number): string {
  const scene = generateScene(ref.split, ref.seed);
  return `demo-${index + 1} ${scene.objects.map(nameOf).join(', ')}.mp4`;
}

/** Two references to the same scene. */
export const sameScene = (a: SceneRef | undefined, b: SceneRef) => !!a && a.split === b.split && a.seed === b.seed;
