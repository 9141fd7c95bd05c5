/**
 * One logical request to the server: a concurrency slot, a per-attempt
 * timeout combined with the caller's signal, retries with seeded-jitter
 * exponential backoff on 429, 5xx and network errors (honouring
 * Retry-After), and every failure turned into a named error whose message
 * never holds the API key.
 */
import { seededRandom, type Random } from '../../core/random';
import {
  CorsBlockedError, EndpointError, EndpointHttpError, EndpointTimeoutError, EndpointUnreachableError, httpErrorOf, redact,
} from './errors';
import type { ResolvedEndpointOptions } from './options';
import { corsSetting } from './serverKind';

/** The page's origin where a browser enforces CORS; undefined in Node (which does not). */
export function pageOrigin(): string | undefined {
  const g = globalThis as { process?: { versions?: { node?: string } }; location?: { origin?: string } };
  if (g.process?.versions?.node) return undefined;
  return g.location?.origin;
}

const retryAfterOf = new WeakMap<Error, number>();

/** Retry-After as ms: delta-seconds or an HTTP date; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const s = Number(value.trim());
  if (Number.isFinite(s) && s >= 0) return s * 1000;
  const t = Date.parse(value);
  return Number.isNaN(t) ? undefined : Math.max(0, t - now);
}

const isRetryable = (e: unknown) =>
  e instanceof EndpointUnreachableError || (e instanceof EndpointHttpError && (e.status === 429 || e.status >= 500) && e.constructor === EndpointHttpError);

export class Transport {
  private readonly random: Random;
  constructor(private readonly o: ResolvedEndpointOptions) {
    this.random = seededRandom(o.seed, 'endpoint-backoff');
  }

  /** Headers of every request; the key goes only here. */
  headers(json: boolean): Record<string, string> {
    return { ...(json ? { 'content-type': 'application/json' } : {}), ...(this.o.apiKey ? { authorization: `Bearer ${this.o.apiKey}` } : {}) };
  }

  /** Throws the named error for a non-OK response (reading its body). */
  async check(res: Response): Promise<Response> {
    if (res.ok) return res;
    const body = redact(await res.text().catch(() => ''), this.o.apiKey);
    const err = httpErrorOf(this.o.endpoint, this.o.model, res.status, body);
    const after = parseRetryAfter(res.headers.get('retry-after'));
    if (after !== undefined) retryAfterOf.set(err, after);
    throw err;
  }

  /**
   * Runs `attempt` (fetch and read the whole answer) with a signal that ends
   * at the timeout or the caller's abort, retrying what may pass.
   */
  async run<T>(attempt: (signal: AbortSignal) => Promise<T>, signal?: AbortSignal, options: { retries?: number } = {}): Promise<T> {
    const retries = options.retries ?? this.o.retries;
    for (let i = 0; ; i++) {
      signal?.throwIfAborted();
      try {
        return await this.once(attempt, signal);
      } catch (e) {
        if (signal?.aborted) throw signal.reason;
        if (i >= retries || !isRetryable(e)) throw e;
        const after = retryAfterOf.get(e as Error);
        const backoff = Math.min(this.o.retryMaxMs, this.o.retryBaseMs * 2 ** i) * (0.5 + 0.5 * this.random.next());
        await this.o.sleep(Math.min(this.o.retryMaxMs, after ?? backoff), signal);
      }
    }
  }

  private async once<T>(attempt: (signal: AbortSignal) => Promise<T>, signal?: AbortSignal): Promise<T> {
    const timeout = AbortSignal.timeout(this.o.timeoutMs);
    const combined = signal ? AbortSignal.any([signal, timeout]) : timeout;
    try {
      return await attempt(combined);
    } catch (e) {
      if (signal?.aborted) throw signal.reason;
      if (timeout.aborted) throw new EndpointTimeoutError(this.o.endpoint, this.o.timeoutMs);
      if (e instanceof EndpointError) throw e;
      throw await this.networkError(e);
    }
  }

  /** A fetch that got no answer: in a browser a reachable server behind missing CORS headers looks the same, so ask once more without CORS to tell. */
  private async networkError(e: unknown): Promise<EndpointError> {
    const detail = redact(e instanceof Error ? `${e.message}${e.cause instanceof Error ? ` (${e.cause.message})` : ''}` : String(e), this.o.apiKey);
    const origin = pageOrigin();
    if (origin && e instanceof TypeError) {
      // An opaque answer to a no-cors request proves the server is up: the block was CORS.
      const reachable = await this.o.fetch(`${this.o.apiBase}/models`, { mode: 'no-cors', signal: AbortSignal.timeout(Math.min(this.o.timeoutMs, 10_000)) }).then(() => true, () => false);
      if (reachable) return new CorsBlockedError(this.o.endpoint, origin, corsSetting(this.o.serverKind, origin));
      // A cross-origin isolated page (COEP require-corp, as the workbench is served) has its no-cors probe refused
      // too, so it cannot tell a server that is down from one that does not allow the origin: name both.
      if ((globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated) {
        return new EndpointUnreachableError(this.o.endpoint, `${this.o.endpoint} could not be reached from this page (${detail}): either it is not running, or it does not allow ${origin} (CORS); for the latter set ${corsSetting(this.o.serverKind, origin)}`, { cause: e });
      }
    }
    return new EndpointUnreachableError(this.o.endpoint, `${this.o.endpoint} could not be reached: ${detail}`, { cause: e });
  }
}
