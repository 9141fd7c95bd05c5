/** Writes frames as an H.264 MP4 clip with mediabunny (the adversarial clips of an export bundle). */
import { BufferTarget, CanvasSource, Mp4OutputFormat, Output, QUALITY_HIGH } from 'mediabunny';
import type { RgbaFrame } from '../core/frame';

/** Encodes `frames` (all one size) at `fps`; odd sizes lose their last row or column (H.264 needs even sizes). */
export async function encodeClip(frames: readonly RgbaFrame[], fps: number): Promise<Uint8Array> {
  if (frames.length === 0) throw new RangeError('encodeClip needs at least one frame');
  const width = frames[0].width & ~1;
  const height = frames[0].height & ~1;
  const target = new BufferTarget();
  const output = new Output({ format: new Mp4OutputFormat({ fastStart: 'in-memory' }), target });
  const canvas = new OffscreenCanvas(width, height);
  const ctx = canvas.getContext('2d')!;
  const source = new CanvasSource(canvas, { codec: 'avc', bitrate: QUALITY_HIGH, keyFrameInterval: 2 });
  output.addVideoTrack(source, { frameRate: fps });
  await output.start();
  for (let i = 0; i < frames.length; i++) {
    const f = frames[i];
    ctx.putImageData(new ImageData(f.data as Uint8ClampedArray<ArrayBuffer>, f.width, f.height), 0, 0);
    await source.add(i / fps, 1 / fps); // awaited for backpressure
  }
  await output.finalize();
  return new Uint8Array(target.buffer!);
}
