/**
 * Runs jobs with at most `concurrency` in flight: results delivered as they
 * come, one job's failure recorded while the others go on, pause (no new
 * job starts; those in flight finish), resume, cancel (aborts the jobs in
 * flight through their signal) and a retry of the failed ones.
 */
import { CancelledError } from '../core/errors';

export interface QueueProgress {
  total: number;
  done: number;
  failed: number;
  running: number;
  paused: boolean;
  /** ms since the first job started (paused time included). */
  elapsedMs: number;
  /** From the rate so far; null before the first job ends. */
  leftMs: number | null;
}

export interface QueueOptions<J, R> {
  concurrency: number;
  run(job: J, signal: AbortSignal): Promise<R>;
  onResult?(job: J, result: R): void;
  onFailure?(job: J, error: unknown): void;
  onProgress?(progress: QueueProgress): void;
  now?: () => number;
}

export class JobQueue<J, R> {
  private waiting: J[];
  private failedJobs: J[] = [];
  private running = 0;
  private done = 0;
  private paused = false;
  private cancelled = false;
  private controller = new AbortController();
  private startedAt: number | null = null;
  private wake: (() => void) | null = null;
  private readonly now: () => number;

  constructor(jobs: readonly J[], private readonly options: QueueOptions<J, R>) {
    if (!Number.isInteger(options.concurrency) || options.concurrency < 1) throw new TypeError(`concurrency must be an integer of at least 1, got ${options.concurrency}`);
    this.waiting = [...jobs];
    this.now = options.now ?? (() => Date.now());
  }

  get progress(): QueueProgress {
    const elapsedMs = this.startedAt === null ? 0 : this.now() - this.startedAt;
    const left = this.waiting.length + this.running;
    return {
      total: this.done + this.failedJobs.length + left,
      done: this.done,
      failed: this.failedJobs.length,
      running: this.running,
      paused: this.paused,
      elapsedMs,
      leftMs: this.done > 0 ? (elapsedMs / this.done) * left : null,
    };
  }

  /** Jobs that failed, in the order they failed. */
  get failed(): readonly J[] {
    return this.failedJobs;
  }

  pause() {
    this.paused = true;
    this.report();
  }

  resume() {
    this.paused = false;
    this.report();
    this.wake?.();
  }

  /** Stops: nothing new starts, jobs in flight are aborted (their signal) and counted as neither done nor failed. */
  cancel() {
    this.cancelled = true;
    this.controller.abort(new CancelledError('pipeline cancelled'));
    this.wake?.();
  }

  /** Puts the failed jobs back in the queue (call `run` again if it has returned). */
  retryFailed() {
    this.waiting.push(...this.failedJobs);
    this.failedJobs = [];
    this.report();
    this.wake?.();
  }

  /** Runs until every job has ended (done or failed) or the queue is cancelled. */
  async run(): Promise<QueueProgress> {
    this.startedAt ??= this.now();
    const inFlight = new Set<Promise<void>>();
    for (;;) {
      while (!this.cancelled && !this.paused && this.running < this.options.concurrency && this.waiting.length) {
        const job = this.waiting.shift()!;
        this.running++;
        const p: Promise<void> = this.options.run(job, this.controller.signal).then(
          (r) => {
            this.done++;
            this.options.onResult?.(job, r);
          },
          (e) => {
            if (this.cancelled) this.waiting.unshift(job); // not done: a later run starts it again
            else {
              this.failedJobs.push(job);
              this.options.onFailure?.(job, e);
            }
          },
        ).finally(() => {
          this.running--;
          inFlight.delete(p);
          this.report();
          this.wake?.();
        });
        inFlight.add(p);
      }
      this.report();
      if (this.cancelled || (!this.waiting.length && this.running === 0)) break;
      await new Promise<void>((resolve) => (this.wake = resolve));
      this.wake = null;
    }
    await Promise.all(inFlight);
    return this.progress;
  }

  private report() {
    this.options.onProgress?.(this.progress);
  }
}
