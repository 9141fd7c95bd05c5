/**
 * Starts and stops a real `transformers serve` (the OpenAI-compatible server in transformers) on loopback,
 * serving the tiny vision-language model that scripts/tiny_vlm.py builds, for tests that need a real server.
 *
 * Measured here (transformers 5.18, torch 2.13 CPU, 2 cores) with `npx vitest run scripts/transformersServe.test.ts`,
 * which checks each of these on every run and prints the timings, and by hand with curl against a started server:
 * - Pinned name: the model argument exactly as given on its command line. We start it in the model's parent
 *   folder with the folder name, so clients send `pasta-tiny-vlm` (never a machine path). Any other `model` is a
 *   400 `{"detail":"Server is pinned to 'pasta-tiny-vlm'; requested '...'."}`. Responses say `pasta-tiny-vlm@main`.
 * - Ready (GET /health answers 200; the model is loaded before it listens) 9-15 s after the start, mostly Python
 *   imports; two servers started together were both ready in 9-14 s. GET /v1/models is a 500 offline.
 * - No token logprobs: `logprobs` and `top_logprobs` are accepted and ignored (200, no `logprobs` in the choice;
 *   its log says "Ignoring unsupported fields"). Its source treats `n`, `stream_options`, `response_format` and
 *   `max_completion_tokens` the same way. An unknown field is a JSON 422; a malformed body (messages not a list)
 *   is a plain-text 500 "Internal Server Error" (the traceback only in its log).
 * - `max_tokens` sets max_new_tokens exactly (finish_reason "length" when reached, else "stop"); without it the
 *   server raises any default under 1024 to 1024 new tokens (the random model then ran 389 tokens in about
 *   450 ms before it happened to stop), so always send it. `max_tokens: 0` is a 500.
 * - `temperature: 0` is greedy and repeats exactly; a temperature > 0 samples only because the tiny model's
 *   generation config has do_sample on (for a model whose config has it off, temperature is ignored).
 *   `seed` calls torch.manual_seed in the server process, so a seeded request repeats when requests do not
 *   overlap: the seed is process-wide, not per request. Streaming has no `[DONE]`: the last `data:` chunk has an
 *   empty delta, `finish_reason` and `usage`; the streamed text equals the non-streamed greedy answer.
 * - Wall time of one non-streaming request from Node's fetch, 224x126 JPEG frames as image_url data URLs,
 *   max_tokens 8, temperature 0, median of 5: 18-26 ms with 4 frames, 20-29 ms with 8 (each frame is 7 prompt
 *   tokens, 4 of them image tokens of a 32-px vision tower, so frames cost little); max_tokens 32 about
 *   60-75 ms. The first request after the start costs about 200 ms.
 * - CORS: only with `--enable-cors` (Starlette's CORSMiddleware, all origins with credentials, so it echoes the
 *   request's Origin); without it a preflight OPTIONS is a 405 with no access-control headers.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { findServePython } from './find-tools.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const BUILD_SCRIPT = path.join(ROOT, 'scripts', 'tiny_vlm.py');
/** The model folder's name, which is also the name the server is pinned to. */
export const TINY_VLM_NAME = 'pasta-tiny-vlm';
const LOG_LIMIT = 256 * 1024;
// Runs the `transformers` command line (argv after -c) and exits the moment its stdin reaches end of file.
const WATCHDOG = [
  'import os, runpy, sys, threading',
  'def watch():',
  '    while sys.stdin.buffer.read(65536): pass',
  '    os._exit(0)',
  'threading.Thread(target=watch, daemon=True).start()',
  'sys.argv = ["transformers"] + sys.argv[1:]',
  'runpy.run_module("transformers.cli.transformers", run_name="__main__")',
].join('\n');

/** A running `transformers serve`. */
export interface TransformersServe {
  /** `http://127.0.0.1:PORT/v1`, the base URL an OpenAI client is given. */
  baseUrl: string;
  /** The name the server is pinned to, as a client must send it in `model`. */
  model: string;
  /** Absolute path of the model folder it serves. */
  modelDir: string;
  /** The process id of the server (the leader of its own process group). */
  pid: number;
  /** Stops the server (its whole process group) and waits until it has exited; safe to call twice. */
  stop(): Promise<void>;
  /** Everything the server wrote to stdout and stderr so far (the last 256 KiB). */
  log(): string;
}

/** Options of {@link startTransformersServe}. */
export interface StartOptions {
  /** Pass `--enable-cors` (the server then answers preflights and echoes the Origin). */
  enableCors?: boolean;
  /** Loopback port to listen on; a free one is chosen when absent. */
  port?: number;
  /** How long to wait for the server to answer GET /health; 120 s by default (a cold start takes 10-20 s). */
  readyTimeoutMs?: number;
  /** The Python to run it with; findServePython() ($PASTA_REF_PYTHON, else .venv-ref) by default. */
  python?: string;
}

function servePython(given?: string): string {
  const python = given ?? findServePython();
  if (!python) throw new Error('No Python that can run `transformers serve`: run `node scripts/ensure-tools.mjs` (the .venv-ref with accelerate, fastapi, uvicorn, openai) or set PASTA_REF_PYTHON');
  return python;
}

function runToEnd(cmd: string, args: string[], opts: { cwd: string; env: NodeJS.ProcessEnv; timeoutMs: number }): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: opts.cwd, env: opts.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs);
    child.on('error', (e) => (clearTimeout(timer), reject(e)));
    child.on('close', (code) => (clearTimeout(timer), resolve({ code, output })));
  });
}

const offlineEnv = (): NodeJS.ProcessEnv => ({ ...process.env, HF_HUB_OFFLINE: '1', HF_DATASETS_OFFLINE: '1', TOKENIZERS_PARALLELISM: 'false', PYTHONUNBUFFERED: '1' });

/**
 * Builds the tiny model with scripts/tiny_vlm.py, or reuses the one already built from the same script.
 * Cached as `.cache/tiny-vlm/HASH/pasta-tiny-vlm`, HASH being the script's SHA-256: the build writes a
 * temporary folder and renames it into place, so concurrent test files never see a half-written model.
 * Returns the model folder's absolute path.
 */
export async function buildTinyVlm(python?: string): Promise<string> {
  const hash = createHash('sha256').update(readFileSync(BUILD_SCRIPT)).digest('hex').slice(0, 16);
  const cacheRoot = path.join(ROOT, '.cache', 'tiny-vlm');
  const done = path.join(cacheRoot, hash);
  const modelDir = path.join(done, TINY_VLM_NAME);
  if (existsSync(modelDir)) return modelDir;
  const tmp = path.join(cacheRoot, `${hash}.tmp-${process.pid}-${Date.now()}`);
  mkdirSync(tmp, { recursive: true });
  try {
    const { code, output } = await runToEnd(servePython(python), [BUILD_SCRIPT, path.join(tmp, TINY_VLM_NAME)], { cwd: ROOT, env: offlineEnv(), timeoutMs: 180_000 });
    if (code !== 0) throw new Error(`scripts/tiny_vlm.py exited with ${code}:\n${output.slice(-3000)}`);
    try {
      renameSync(tmp, done);
    } catch (e) {
      if (!existsSync(modelDir)) throw e; // otherwise another process finished first: use its copy
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  return modelDir;
}

/** A port that was free on 127.0.0.1 a moment ago (the kernel's choice). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function exited(child: ChildProcess): Promise<void> {
  return child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise((r) => child.once('exit', () => r()));
}

function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal); // the server was started as the leader of its own group: this reaches any child it forked
  } catch {
    // already gone
  }
}

class StartError extends Error {
  constructor(message: string, readonly portInUse: boolean) {
    super(message);
  }
}

async function startOnce(python: string, modelDir: string, port: number, opts: StartOptions): Promise<TransformersServe> {
  const serveArgs = ['serve', TINY_VLM_NAME, '--host', '127.0.0.1', '--port', String(port), '--device', 'cpu'];
  if (opts.enableCors) serveArgs.push('--enable-cors');
  // Run in the model's parent folder with the bare folder name: the server is pinned to the name as given.
  // Its own group (detached) lets stop() reach anything it forks; a stdin pipe it watches ends it when this
  // process dies without stop() (a killed test run), since a detached group gets no Ctrl-C from the terminal.
  const child = spawn(python, ['-c', WATCHDOG, ...serveArgs], { cwd: path.dirname(modelDir), env: offlineEnv(), stdio: ['pipe', 'pipe', 'pipe'], detached: true });
  let log = '';
  const append = (d: Buffer) => {
    log += d.toString();
    if (log.length > LOG_LIMIT) log = log.slice(-LOG_LIMIT);
  };
  child.stdout!.on('data', append);
  child.stderr!.on('data', append);
  let spawnError: Error | null = null;
  child.once('error', (e) => (spawnError = e));
  const pid = child.pid;
  if (pid === undefined) {
    await sleep(0); // the 'error' event carries the reason
    throw new Error(`could not start ${python}: ${spawnError ?? 'no pid'}`);
  }
  // A test run that dies without calling stop() must not leave the server behind.
  const onExit = () => killGroup(pid, 'SIGKILL');
  process.once('exit', onExit);

  let stopping: Promise<void> | null = null;
  const stop = () =>
    (stopping ??= (async () => {
      process.removeListener('exit', onExit);
      if (child.exitCode !== null || child.signalCode !== null) return;
      killGroup(pid, 'SIGTERM'); // uvicorn shuts down gracefully on SIGTERM
      const gone = await Promise.race([exited(child).then(() => true), sleep(10_000).then(() => false)]);
      if (!gone) {
        killGroup(pid, 'SIGKILL');
        await exited(child);
      }
    })());

  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + (opts.readyTimeoutMs ?? 120_000);
  const tail = () => log.split('\n').slice(-30).join('\n');
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null || spawnError) {
      await stop();
      throw new StartError(`transformers serve exited (${spawnError ?? `code ${child.exitCode}, signal ${child.signalCode}`}) before it was ready on ${base}; its log ends:\n${tail()}`, /address already in use/i.test(log));
    }
    try {
      const res = await fetch(`${base}/health`, { signal: AbortSignal.timeout(2000) });
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop();
      throw new StartError(`transformers serve did not answer GET /health on ${base} within ${opts.readyTimeoutMs ?? 120_000} ms; its log ends:\n${tail()}`, false);
    }
    await sleep(250);
  }
  return { baseUrl: `${base}/v1`, model: TINY_VLM_NAME, modelDir, pid, stop, log: () => log };
}

/**
 * Builds (or reuses) the tiny model and starts `transformers serve MODEL --host 127.0.0.1 --port P --device cpu
 * [--enable-cors]` with HF_HUB_OFFLINE=1, then waits until GET /health answers. Rejects with the tail of the
 * server's log when it exits or is not ready in time (the process is stopped then). When no port is given and
 * the chosen one is taken in the meantime, it tries another (three tries).
 */
export async function startTransformersServe(opts: StartOptions = {}): Promise<TransformersServe> {
  const python = servePython(opts.python);
  const modelDir = await buildTinyVlm(python);
  for (let attempt = 1; ; attempt++) {
    const port = opts.port ?? (await freePort());
    try {
      return await startOnce(python, modelDir, port, opts);
    } catch (e) {
      if (!(e instanceof StartError && e.portInUse && opts.port === undefined && attempt < 3)) throw e;
    }
  }
}
