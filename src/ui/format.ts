import { ffprobeRotation } from '../media/frameSize';
/** Display formatting shared by views. */
export const formatDuration = (s: number) => {
  if (!Number.isFinite(s)) return '?';
  // From an hour on, h:mm:ss as players show it (a badge reading 60:00.1 for a one-hour file reads wrong).
  if (s >= 3600 - 0.05) {
    const whole = Math.round(s);
    return `${Math.floor(whole / 3600)}:${String(Math.floor((whole % 3600) / 60)).padStart(2, '0')}:${String(whole % 60).padStart(2, '0')}`;
  }
  const m = Math.floor(s / 60);
  const sec = s - m * 60;
  return m > 0 ? `${m}:${sec.toFixed(1).padStart(4, '0')}` : `${sec.toFixed(2)} s`;
};
export const formatBytes = (n: number) =>
  n < 1024 ? `${n} B` : n < 1024 ** 2 ? `${(n / 1024).toFixed(1)} KB` : n < 1024 ** 3 ? `${(n / 1024 ** 2).toFixed(1)} MB` : `${(n / 1024 ** 3).toFixed(2)} GB`;
export const formatFps = (fps: number) => (Number.isInteger(Math.round(fps * 100) / 100) ? `${Math.round(fps)}` : fps.toFixed(2));

/** Rotation as ffprobe prints it (counter-clockwise degrees), with the way it turns: "-90° (turns 90° clockwise)". */
export const rotationLabel = (clockwise: number) => {
  const r = ffprobeRotation(clockwise);
  return r === 0 ? '0°' : `${r}° (turns ${Math.abs(r)}° ${r < 0 ? 'clockwise' : 'counter-clockwise'})`;
};
export const rotationTitle = (clockwise: number) =>
  clockwise === 0
    ? 'no rotation in the metadata'
    : `display matrix rotation=${ffprobeRotation(clockwise)} as ffprobe prints it (counter-clockwise degrees); the sampled frames are turned upright, but decord and torchvision return them unturned`;

/** ", about 12 s left" from how far a job is and when it started; empty until there is enough to estimate. */
export function timeLeft(p: { done: number; total: number; startedAt: number }, now: number): string {
  if (p.done < 1 || p.done >= p.total) return '';
  const seconds = ((now - p.startedAt) / p.done) * (p.total - p.done) / 1000;
  return seconds < 1 ? ', under a second left' : `, about ${formatDuration(seconds).replace(/\.\d+ s$/, ' s')} left`;
}
