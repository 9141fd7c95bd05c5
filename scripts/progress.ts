import { formatDuration } from '../src/ui/format';

/** A one-line text progress bar with elapsed time and time left: `[#####.....] 120/2400 5% 0:42 elapsed, 13:18 left | loss 1.234`. */
export function progressLine(done: number, total: number, elapsedSeconds: number, extra = ''): string {
  const width = 30;
  const filled = Math.round((width * done) / total);
  const left = done > 0 ? (elapsedSeconds / done) * (total - done) : Number.NaN;
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total} ${Math.floor((100 * done) / total)}% ${formatDuration(elapsedSeconds)} elapsed, ${formatDuration(left)} left${extra ? ` | ${extra}` : ''}`;
}
