/** An RGBA frame painted into a canvas (repainted only when the frame object changes). */
import { memo, useEffect, useRef } from 'react';
import type { RgbaFrame } from '../core/frame';

export const FrameCanvas = memo(function FrameCanvas({ frame, title, onClick, testId }: { frame: RgbaFrame; title?: string; onClick?(): void; testId?: string }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const c = canvas.current!;
    c.width = frame.width;
    c.height = frame.height;
    c.getContext('2d')!.putImageData(new ImageData(frame.data as Uint8ClampedArray<ArrayBuffer>, frame.width, frame.height), 0, 0);
  }, [frame]);
  return <canvas ref={canvas} title={title} onClick={onClick} data-testid={testId} />;
});
