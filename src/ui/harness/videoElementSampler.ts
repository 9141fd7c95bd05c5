/**
 * The approach most browser tools use: an HTMLVideoElement seeked to each
 * timestamp, drawn to a canvas, pixels read back. Kept as the benchmark's
 * baseline; the workbench itself decodes with WebCodecs in a Worker.
 */
import { fitMaxSide } from '../../media/frameSize';

export async function sampleWithVideoElement(blob: Blob, timestamps: number[], maxSide: number): Promise<ImageData[]> {
  const url = URL.createObjectURL(blob);
  const video = document.createElement('video');
  video.muted = true;
  video.preload = 'auto';
  video.src = url;
  try {
    await once(video, 'loadeddata');
    const { width, height } = fitMaxSide(video.videoWidth, video.videoHeight, maxSide);
    const canvas = document.createElement('canvas');
    canvas.width = width;
    canvas.height = height;
    const ctx = canvas.getContext('2d', { willReadFrequently: true })!;
    const frames: ImageData[] = [];
    for (const t of timestamps) {
      video.currentTime = t;
      await once(video, 'seeked');
      ctx.drawImage(video, 0, 0, width, height);
      frames.push(ctx.getImageData(0, 0, width, height));
    }
    return frames;
  } finally {
    video.removeAttribute('src');
    video.load();
    URL.revokeObjectURL(url);
  }
}

function once(target: HTMLVideoElement, event: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = () => reject(new Error(`video element error: ${target.error?.message ?? 'unknown'}`));
    target.addEventListener(event, () => { target.removeEventListener('error', onError); resolve(); }, { once: true });
    target.addEventListener('error', onError, { once: true });
  });
}
