#!/usr/bin/env node
// Decode benchmark: 32 uniformly sampled frames at 224 px max side, three ways.
//   (a) ours: the workbench's path (Worker, probe, plan, WebCodecs decode) via
//       window.pastaHarness.sample() in headless Chromium;
//   (b) ffmpeg on the command line, raw RGB to a pipe, in its fastest one-pass
//       forms (select filter on the same frame indices, and fps=32/DURATION);
//   (c) an HTMLVideoElement seeked to each timestamp (pastaHarness.sampleWithVideoElement).
// Then (unless --no-long) peak memory of the Chromium process tree while our
// path samples a generated one-hour clip and a ten-second clip.
//
// Usage: node scripts/bench-decode.mjs [video] [--runs N] [--no-long] [--dist DIR]
//   video   default ../shared/media/bottle-detection.mp4
//   --runs  timed runs per method after one warm-up (default 5)
//   --dist  production build to serve (default $PASTA_DIST or dist); built with
//           `npx vite build --outDir DIR` when DIR/harness.html is missing
//   --long  run the memory part (the default); --no-long skips it
// The last line of output is one JSON object with the figures.
import { execFileSync, spawn } from 'node:child_process';
import { createReadStream, existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { findChromium, findFfmpeg } from './find-tools.mjs';
import { ensureBuild, freePort, startPreview } from './preview-server.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const FRAMES = 32;
const MAX_SIDE = 224;
const SPEC = { mode: 'uniform', n: FRAMES };
const CHROMIUM_ARGS = ['--enable-unsafe-webgpu'];

// ---------- arguments ----------
const argv = process.argv.slice(2);
const opts = { runs: 5, long: true, dist: process.env.PASTA_DIST ?? 'dist', video: null };
for (let i = 0; i < argv.length; i++) {
  const a = argv[i];
  if (a === '--runs') {
    opts.runs = Number(argv[++i]);
    if (!Number.isInteger(opts.runs) || opts.runs < 1) throw new Error('--runs needs a positive integer');
  }
  else if (a === '--dist') opts.dist = argv[++i];
  else if (a === '--long') opts.long = true;
  else if (a === '--no-long') opts.long = false;
  else if (a === '-h' || a === '--help') {
    console.log('usage: node scripts/bench-decode.mjs [video] [--runs N] [--no-long] [--dist DIR]');
    process.exit(0);
  } else if (a.startsWith('--')) throw new Error(`unknown option ${a}`);
  else opts.video = a;
}
const video = path.resolve(opts.video ?? path.join(ROOT, '../shared/media/bottle-detection.mp4'));
const dist = path.resolve(ROOT, opts.dist);

// ---------- helpers ----------
const log = (...a) => console.log(...a);
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const round = (x, d = 1) => (x == null ? null : Math.round(x * 10 ** d) / 10 ** d);
const fmt = (xs) => xs.map((x) => x.toFixed(0)).join(', ');
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Runs a command, discards its stdout but counts the bytes; resolves with wall ms and byte count. */
function timeProcess(cmd, args) {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let bytes = 0;
    let stderr = '';
    child.stdout.on('data', (b) => { bytes += b.length; });
    child.stderr.on('data', (b) => { stderr += b; });
    child.on('error', reject);
    child.on('close', (code) => {
      const ms = performance.now() - t0;
      if (code !== 0) reject(new Error(`${cmd} exited ${code}: ${stderr.slice(-2000)}`));
      else resolve({ ms, bytes });
    });
  });
}

/** Balanced OR of eq(n,i): a flat sum of more than ~100 terms overflows ffmpeg's expression parser. */
function selectExpr(indices) {
  const anyOf = (a) => (a.length === 1 ? `eq(n\\,${a[0]})` : `(${anyOf(a.slice(0, a.length >> 1))}+${anyOf(a.slice(a.length >> 1))})`);
  return anyOf([...new Set(indices)].sort((a, b) => a - b));
}

/** Runs ffmpeg with -benchmark; resolves with its own utime/stime/rtime in seconds (stderr's "bench:" line). */
function ffmpegBench(args) {
  return new Promise((resolve, reject) => {
    const child = spawn(ffmpegPath, ['-hide_banner', '-nostats', '-benchmark', ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (b) => { stderr += b; });
    child.on('error', reject);
    child.on('close', (code) => {
      const m = /bench: utime=([\d.]+)s stime=([\d.]+)s rtime=([\d.]+)s/.exec(stderr);
      const frames = [...stderr.matchAll(/frame=\s*(\d+)/g)].at(-1)?.[1];
      if (code !== 0 || !m) reject(new Error(`ffmpeg -benchmark exited ${code}: ${stderr.slice(-2000)}`));
      else resolve({ utime: Number(m[1]), stime: Number(m[2]), rtime: Number(m[3]), frames: frames == null ? null : Number(frames) });
    });
  });
}

const CLK_TCK = (() => { try { return Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100; } catch { return 100; } })();
/** Summed user + system CPU seconds of `pids` (Linux /proc). */
function cpuOf(pids) {
  let ticks = 0;
  for (const pid of pids) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      ticks += Number(f[11]) + Number(f[12]); // utime, stime (fields 14 and 15)
    } catch { /* process gone */ }
  }
  return ticks / CLK_TCK;
}

/**
 * The decoder's own time per frame against ffmpeg's, on the same frames: the first `count`
 * packets in decode order. Ours: one software VideoDecoder in the page fed packets already in
 * memory, frames closed at once (pastaHarness.prepareDecoder/runDecoder), wall time from the
 * first decode() to flush(), plus the CPU time of the Chromium tree over that call. ffmpeg:
 * `-benchmark -frames:v count -f null -` (decode only, no conversion), default threads and -threads 1.
 */
async function decoderTimes(page, rootPid, url, file, count) {
  const prep = await page.evaluate(([u, n]) => window.pastaHarness.prepareDecoder(u, n), [url, count]);
  const ours = [];
  const oursCpu = [];
  for (let run = 0; run <= opts.runs; run++) {
    const pids = rootPid ? treePids(rootPid) : [];
    const c0 = cpuOf(pids);
    const r = await page.evaluate(() => window.pastaHarness.runDecoder());
    const cpu = cpuOf(pids) - c0;
    if (r.outputs !== prep.packets) throw new Error(`decoder: ${r.outputs} frames out of ${prep.packets} packets`);
    if (run === 0) continue;
    ours.push(r.ms / r.outputs);
    oursCpu.push((cpu * 1000) / r.outputs);
  }
  const ff = {};
  for (const [name, extra] of [['auto', []], ['t1', ['-threads', '1']]]) {
    const real = [];
    const user = [];
    for (let run = 0; run <= opts.runs; run++) {
      const b = await ffmpegBench([...extra, '-i', file, '-map', '0:v:0', '-frames:v', String(prep.packets), '-f', 'null', '-']);
      if (b.frames != null && b.frames !== prep.packets) throw new Error(`ffmpeg decoded ${b.frames} frames, wanted ${prep.packets}`);
      if (run === 0) continue;
      real.push((b.rtime * 1000) / prep.packets);
      user.push(((b.utime + b.stime) * 1000) / prep.packets);
    }
    ff[name] = { real: median(real), cpu: median(user) };
  }
  return { frames: prep.packets, hw: prep.hardwareAcceleration, codec: prep.codec, ours: median(ours), oursCpu: median(oursCpu), ff };
}

function logDecoderTimes(label, d) {
  log(`[bench] decoder only, ${label}: first ${d.frames} frames in decode order (${d.codec}, ${d.hw}), ms per frame, medians of ${opts.runs}:`);
  log(`[bench]   ours (Chromium VideoDecoder, packets in memory, frames closed at once): wall ${d.ours.toFixed(3)}, Chromium-tree CPU ${d.oursCpu.toFixed(3)}`);
  log(`[bench]   ffmpeg -f null (default threads): rtime ${d.ff.auto.real.toFixed(3)}, utime+stime ${d.ff.auto.cpu.toFixed(3)}; -threads 1: rtime ${d.ff.t1.real.toFixed(3)}, utime+stime ${d.ff.t1.cpu.toFixed(3)}`);
  log(`[bench]   ratio ours / ffmpeg: wall ${(d.ours / d.ff.auto.real).toFixed(2)} (vs -threads 1: ${(d.ours / d.ff.t1.real).toFixed(2)}), CPU ${(d.oursCpu / d.ff.auto.cpu).toFixed(2)} (vs -threads 1: ${(d.oursCpu / d.ff.t1.cpu).toFixed(2)})`);
}

const decoderJson = (prefix, d) => ({
  [`${prefix}_frames`]: d.frames,
  [`${prefix}_ours_ms_per_frame`]: round(d.ours, 3), [`${prefix}_ours_cpu_ms_per_frame`]: round(d.oursCpu, 3),
  [`${prefix}_ffmpeg_ms_per_frame`]: round(d.ff.auto.real, 3), [`${prefix}_ffmpeg_cpu_ms_per_frame`]: round(d.ff.auto.cpu, 3),
  [`${prefix}_ffmpeg_t1_ms_per_frame`]: round(d.ff.t1.real, 3), [`${prefix}_ffmpeg_t1_cpu_ms_per_frame`]: round(d.ff.t1.cpu, 3),
  [`${prefix}_ratio_vs_ffmpeg`]: round(d.ours / d.ff.auto.real, 3), [`${prefix}_ratio_vs_ffmpeg_t1`]: round(d.ours / d.ff.t1.real, 3),
  [`${prefix}_cpu_ratio_vs_ffmpeg`]: round(d.oursCpu / d.ff.auto.cpu, 3), [`${prefix}_cpu_ratio_vs_ffmpeg_t1`]: round(d.oursCpu / d.ff.t1.cpu, 3),
});

/** Heap the open mediabunny Input holds after probing `file` in a fresh page (pastaHarness.indexMemory). */
async function measureIndex(baseURL, file) {
  const { browser, page } = await openHarness(baseURL, ['--enable-precise-memory-info', '--js-flags=--expose-gc']);
  try {
    await page.setInputFiles('#file', file);
    return await page.evaluate(() => window.pastaHarness.indexMemory());
  } finally {
    await browser.close();
    browsers = browsers.filter((b) => b !== browser);
  }
}

// ---------- Chromium process-tree memory (Linux /proc) ----------
function childrenMap() {
  const kids = new Map();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (!kids.has(ppid)) kids.set(ppid, []);
      kids.get(ppid).push(Number(name));
    } catch { /* process gone */ }
  }
  return kids;
}

function treePids(rootPid) {
  const kids = childrenMap();
  const out = [];
  const stack = [rootPid];
  while (stack.length) {
    const pid = stack.pop();
    out.push(pid);
    for (const k of kids.get(pid) ?? []) stack.push(k);
  }
  return out;
}

/** Sum of VmRSS (bytes) over `pids`. */
function rssOf(pids) {
  let kb = 0;
  for (const pid of pids) {
    try {
      const m = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
      if (m) kb += Number(m[1]);
    } catch { /* process gone */ }
  }
  return kb * 1024;
}

// ---------- servers ----------
const children = new Set();
let previewChild = null;
let frontServer = null;
let browsers = [];

async function cleanup() {
  for (const b of browsers) await b.close().catch(() => {});
  browsers = [];
  if (frontServer) { frontServer.close(); frontServer.closeAllConnections?.(); frontServer = null; }
  for (const child of children) {
    if (child.exitCode === null && child.signalCode === null) {
      try { process.kill(child.pid, 'SIGTERM'); } catch { /* already gone */ }
    }
  }
  children.clear();
}
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.on(sig, () => { cleanup().finally(() => process.exit(130)); });
}

async function startPreviewServer() {
  const { port, child } = await startPreview(ROOT, dist, 'harness.html');
  children.add(child);
  previewChild = child;
  return port;
}

/**
 * Same-origin front for the preview server: /__files/<name> streams a local
 * file (the page's CSP allows only 'self'), everything else goes to vite
 * preview with its headers (COOP/COEP/CSP) unchanged. Streaming from disk keeps
 * the video bytes out of the browser-process memory that Playwright's
 * route.fulfill would use, which matters for the memory figures.
 */
async function startFront(previewPort, files) {
  const port = await freePort();
  frontServer = http.createServer((req, res) => {
    const url = new URL(req.url, 'http://x');
    if (url.pathname.startsWith('/__files/')) {
      const file = files.get(decodeURIComponent(url.pathname.slice('/__files/'.length)));
      if (!file) { res.writeHead(404).end(); return; }
      res.writeHead(200, {
        'Content-Type': file.endsWith('.mkv') ? 'video/x-matroska' : file.endsWith('.webm') ? 'video/webm' : 'video/mp4',
        'Content-Length': statSync(file).size,
        'Cross-Origin-Resource-Policy': 'same-origin',
        'Cache-Control': 'no-store',
      });
      createReadStream(file).pipe(res);
      return;
    }
    const upstream = http.request(
      { host: '127.0.0.1', port: previewPort, path: req.url, method: req.method, headers: req.headers },
      (up) => { res.writeHead(up.statusCode ?? 502, up.headers); up.pipe(res); },
    );
    upstream.on('error', (e) => { res.writeHead(502).end(String(e)); });
    req.pipe(upstream);
  });
  await new Promise((r) => frontServer.listen(port, '127.0.0.1', r));
  return `http://127.0.0.1:${port}`;
}

/** PIDs of this script's direct children that run a Chromium binary. */
function chromiumChildren() {
  return (childrenMap().get(process.pid) ?? []).filter((pid) => {
    try {
      return /chrom/i.test(readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0')[0]);
    } catch {
      return false;
    }
  });
}

/** Launches Chromium; `browserPid` is its browser process (a direct child of this script). */
async function openHarness(baseURL, extraArgs = []) {
  const before = new Set(chromiumChildren());
  const browser = await chromium.launch({ executablePath: chromiumPath, args: [...CHROMIUM_ARGS, ...extraArgs] });
  browsers.push(browser);
  const launched = chromiumChildren().filter((pid) => !before.has(pid));
  const browserPid = launched.length === 1 ? launched[0] : null;
  const page = await browser.newPage({ baseURL });
  await page.goto('/harness.html');
  await page.waitForFunction(() => document.body.dataset.ready === 'true', null, { timeout: 30_000 });
  return { browser, page, browserPid };
}

// ---------- the three methods ----------
async function ours(page, url) {
  const t0 = performance.now();
  const r = await page.evaluate(([u, spec, maxSide]) => window.pastaHarness.sample(u, { spec, maxSide }), [url, SPEC, MAX_SIDE]);
  if (r.frames.length !== FRAMES) throw new Error(`ours: ${r.frames.length} frames`);
  return { ms: r.ms, wallMs: performance.now() - t0, result: r };
}

async function videoElement(page, url) {
  const r = await page.evaluate(([u, spec, maxSide]) => window.pastaHarness.sampleWithVideoElement(u, spec, maxSide), [url, SPEC, MAX_SIDE]);
  if (r.frames !== FRAMES) throw new Error(`video element: ${r.frames} frames`);
  return { ms: r.ms };
}

const countTypes = (types) => Object.entries(types.reduce((o, t) => ({ ...o, [t]: (o[t] ?? 0) + 1 }), {})).map(([t, n]) => `${n} ${t}`).join(', ');

// ---------- memory of our path on a long and a short clip ----------
function ensureClip(seconds) {
  const dir = path.join(ROOT, '.cache/bench');
  mkdirSync(dir, { recursive: true });
  const name = seconds >= 3600 ? `testsrc-${seconds / 3600}h.mp4` : `testsrc-${seconds}s.mp4`;
  const file = path.join(dir, name);
  if (existsSync(file) && statSync(file).size > 0) return file;
  const tmp = `${file}.partial.mp4`;
  log(`[bench] generating ${path.relative(ROOT, file)} (${seconds} s of testsrc 320x180@30, x264 ultrafast, keyint 250)...`);
  const t0 = performance.now();
  execFileSync(ffmpegPath, [
    '-v', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc=size=320x180:rate=30', '-t', String(seconds),
    '-c:v', 'libx264', '-preset', 'ultrafast', '-g', '250', '-pix_fmt', 'yuv420p', tmp,
  ], { stdio: 'inherit' });
  execFileSync('mv', [tmp, file]);
  log(`[bench]   done in ${((performance.now() - t0) / 1000).toFixed(1)} s, ${(statSync(file).size / 2 ** 20).toFixed(1)} MiB`);
  return file;
}

/**
 * Fresh browser; warm-up sample of `warmUrl` (starts the Worker, decoder,
 * WASM); idle baseline of the tree's summed VmRSS; then sample `url` while
 * polling the tree every 20 ms (and the page's JS heap in the page).
 */
async function measurePeak(baseURL, file, warmUrl) {
  const { browser, page, browserPid: rootPid } = await openHarness(baseURL, ['--enable-precise-memory-info']);
  try {
    if (!rootPid) throw new Error('could not find the browser process among this script\'s children');
    await page.evaluate(([u, spec, maxSide]) => window.pastaHarness.sample(u, { spec, maxSide }), [warmUrl, SPEC, MAX_SIDE]);
    // The measured clip goes in through the file input, a disk-backed File like the app's picker gives.
    await page.setInputFiles('#file', file);
    await sleep(1500);
    const typeCache = new Map();
    const typeOf = (pid) => {
      if (!typeCache.has(pid)) {
        let t = '?';
        try {
          const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
          t = /--type=([\w-]+)/.exec(cmd)?.[1] ?? (pid === rootPid ? 'browser' : path.basename(cmd.split('\0')[0]));
        } catch { /* gone */ }
        typeCache.set(pid, t);
      }
      return typeCache.get(pid);
    };
    /** Summed VmRSS of the tree, and per process type. */
    const snapshot = (pids) => {
      const byType = {};
      let total = 0;
      for (const pid of pids) {
        const rss = rssOf([pid]);
        total += rss;
        byType[typeOf(pid)] = (byType[typeOf(pid)] ?? 0) + rss;
      }
      return { total, byType };
    };
    const idle = [];
    for (let i = 0; i < 10; i++) { idle.push(snapshot(treePids(rootPid))); await sleep(50); }
    const baseline = median(idle.map((x) => x.total));
    const baseByType = {};
    for (const t of Object.keys(idle[0].byType)) baseByType[t] = median(idle.map((x) => x.byType[t] ?? 0));
    let pids = treePids(rootPid);
    const types = pids.map(typeOf);
    let peak = baseline;
    const peakByType = { ...baseByType };
    let polls = 0;
    const poll = () => {
      const snap = snapshot(pids);
      if (snap.total > peak) peak = snap.total;
      for (const [t, v] of Object.entries(snap.byType)) if (v > (peakByType[t] ?? 0)) peakByType[t] = v;
    };
    const timer = setInterval(() => {
      if (++polls % 10 === 0) pids = treePids(rootPid); // new processes are rare; rescan every 200 ms
      poll();
    }, 20);
    let r;
    const t0 = performance.now();
    try {
      r = await page.evaluate(async ([spec, maxSide]) => {
        const mem = () => performance.memory?.usedJSHeapSize ?? null;
        const heapBefore = mem();
        let heapPeak = heapBefore;
        const id = setInterval(() => { const m = mem(); if (m !== null && m > heapPeak) heapPeak = m; }, 20);
        try {
          const t = performance.now();
          const res = await window.pastaHarness.sampleInput({ spec, maxSide });
          const m = mem();
          if (m !== null && m > heapPeak) heapPeak = m;
          return { ms: res.ms, wallMs: performance.now() - t, frames: res.frames.length, frameCount: res.probe.frameCount, fileSize: res.probe.fileSize, heapBefore, heapPeak };
        } finally {
          clearInterval(id);
        }
      }, [SPEC, MAX_SIDE]);
    } finally {
      clearInterval(timer);
    }
    const wallMs = performance.now() - t0;
    pids = treePids(rootPid);
    poll();
    const deltaByType = Object.fromEntries(Object.keys(peakByType).map((t) => [t, (peakByType[t] - (baseByType[t] ?? 0)) / 2 ** 20]));
    return {
      ...r, nodeWallMs: wallMs, processes: pids.length, types, polls, deltaByType,
      baselineMb: baseline / 2 ** 20, peakMb: peak / 2 ** 20, deltaMb: (peak - baseline) / 2 ** 20,
      heapDeltaMb: r.heapBefore == null ? null : (r.heapPeak - r.heapBefore) / 2 ** 20,
      heapPeakMb: r.heapPeak == null ? null : r.heapPeak / 2 ** 20,
    };
  } finally {
    await browser.close();
    browsers = browsers.filter((b) => b !== browser);
  }
}

// ---------- main ----------
const chromiumPath = findChromium();
const ffmpegPath = findFfmpeg();

async function main() {
  if (!chromiumPath) throw new Error('No Chromium found: install one (Debian: apt-get install chromium) or set CHROMIUM_PATH');
  if (!ffmpegPath) throw new Error('No ffmpeg found: install it (Debian: apt-get install ffmpeg) or set FFMPEG_PATH');
  if (!existsSync(video)) throw new Error(`video not found: ${video}`);
  log(`[bench] video: ${video} (${(statSync(video).size / 2 ** 20).toFixed(2)} MiB)`);
  log(`[bench] chromium: ${chromiumPath}; ffmpeg: ${ffmpegPath}; ${opts.runs} timed runs per method after 1 warm-up`);
  ensureBuild(ROOT, dist, 'harness.html');

  const files = new Map([['video', video]]);
  const clip1h = opts.long ? ensureClip(3600) : null;
  const clip10s = opts.long ? ensureClip(10) : null;
  if (opts.long) { files.set('clip-1h', clip1h); files.set('clip-10s', clip10s); }

  const previewPort = await startPreviewServer();
  const baseURL = await startFront(previewPort, files);
  log(`[bench] vite preview (pid ${previewChild.pid}) on port ${previewPort}, same-origin file front at ${baseURL}`);

  // The plan: frame indices and size from our own path, so ffmpeg decodes exactly the same frames.
  const { browser, page, browserPid } = await openHarness(baseURL);
  const first = await ours(page, '/__files/video');
  const { probe } = first.result;
  const indices = first.result.frames.map((f) => f.index);
  const { width, height } = first.result.frames[0];
  log(`[bench] probe: ${probe.container} ${probe.codec} ${probe.width}x${probe.height}, ${probe.frameCount} frames (${probe.countSource}), ${probe.duration.toFixed(3)} s, ${probe.fps.toFixed(3)} fps`);
  log(`[bench] plan (uniform ${FRAMES}): frames ${indices.join(',')}; output ${width}x${height}`);

  const frameBytes = (w, h) => w * h * 3;
  const ffSelectArgs = ['-v', 'error', '-i', video, '-map', '0:v:0', '-vf', `select='${selectExpr(indices)}',scale=${MAX_SIDE}:-2`,
    '-vsync', '0', '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-'];
  const ffFpsArgs = ['-v', 'error', '-i', video, '-map', '0:v:0', '-vf', `fps=${FRAMES}/${probe.duration},scale=${MAX_SIDE}:-2`,
    '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-'];
  // ffmpeg's scale=224:-2 rounds the height to even; ours rounds to nearest. Note any difference.
  const ffH = 2 * Math.round((probe.height * MAX_SIDE) / probe.width / 2);
  const ffW = probe.width >= probe.height ? MAX_SIDE : null;

  const times = { ours: [], oursWall: [], ffSelect: [], ffFps: [], videoElement: [] };
  let ffFpsFrames = null;
  let ffSelectFrames = null;
  for (let run = 0; run <= opts.runs; run++) {
    const warm = run === 0;
    const a = await ours(page, '/__files/video');
    const b1 = await timeProcess(ffmpegPath, ffSelectArgs);
    const b2 = await timeProcess(ffmpegPath, ffFpsArgs);
    const c = await videoElement(page, '/__files/video');
    if (ffW) {
      ffSelectFrames = b1.bytes / frameBytes(ffW, ffH);
      ffFpsFrames = b2.bytes / frameBytes(ffW, ffH);
    }
    log(`[bench] ${warm ? 'warm-up' : `run ${run}`}: ours ${a.ms.toFixed(0)} ms (wall with fetch ${a.wallMs.toFixed(0)}), ffmpeg select ${b1.ms.toFixed(0)} ms, ffmpeg fps ${b2.ms.toFixed(0)} ms, video element ${c.ms.toFixed(0)} ms`);
    if (warm) continue;
    times.ours.push(a.ms);
    times.oursWall.push(a.wallMs);
    times.ffSelect.push(b1.ms);
    times.ffFps.push(b2.ms);
    times.videoElement.push(c.ms);
  }
  const lastIndex = Math.max(...indices);
  log(`[bench] decoder only: the bench video's frames 0..${lastIndex} (up to the last sampled frame)${opts.long ? ', and the whole 10 s clip (x264 ultrafast: P-frames only)' : ''}...`);
  const dec = await decoderTimes(page, browserPid, '/__files/video', video, lastIndex + 1);
  const dec10 = opts.long ? await decoderTimes(page, browserPid, '/__files/clip-10s', clip10s, 1e9) : null;
  await browser.close();
  browsers = browsers.filter((x) => x !== browser);

  const m = {
    ours: median(times.ours), oursWall: median(times.oursWall),
    ffSelect: median(times.ffSelect), ffFps: median(times.ffFps), videoElement: median(times.videoElement),
  };
  const ffmpegMs = Math.min(m.ffSelect, m.ffFps);
  log('');
  log(`ours (harness.sample: probe + plan + decode + resize + readback in the Worker): median ${m.ours.toFixed(0)} ms  [${fmt(times.ours)}]`);
  log(`   same, wall time seen from Node incl. fetch of the file into a Blob: median ${m.oursWall.toFixed(0)} ms`);
  log(`ffmpeg select (same ${FRAMES} indices, scale=${MAX_SIDE}:-2, rgb24 to a pipe, whole process): median ${m.ffSelect.toFixed(0)} ms  [${fmt(times.ffSelect)}]${ffSelectFrames != null ? `, ${ffSelectFrames} frames of ${ffW}x${ffH}` : ''}`);
  log(`ffmpeg fps=${FRAMES}/${probe.duration.toFixed(3)} (one pass, whole process): median ${m.ffFps.toFixed(0)} ms  [${fmt(times.ffFps)}]${ffFpsFrames != null ? `, ${ffFpsFrames} frames` : ''}`);
  log(`ffmpeg_ms = faster of the two = ${ffmpegMs.toFixed(0)} ms (${m.ffSelect <= m.ffFps ? 'select' : 'fps'})`);
  log(`video element (seek + drawImage + getImageData per frame): median ${m.videoElement.toFixed(0)} ms  [${fmt(times.videoElement)}]`);
  log(`ratio_vs_ffmpeg = ours / ffmpeg = ${(m.ours / ffmpegMs).toFixed(2)} (below 1: ours is faster)`);
  log(`ratio_vs_video_element = video element / ours = ${(m.videoElement / m.ours).toFixed(2)} (above 1: ours is faster)`);
  if (ffW && ffH !== height) log(`note: ffmpeg's scale=${MAX_SIDE}:-2 gives ${ffW}x${ffH}, ours ${width}x${height}`);
  log('');
  logDecoderTimes(path.basename(video), dec);
  if (dec10) logDecoderTimes('10 s clip', dec10);

  const json = {
    file: path.basename(video), frames: FRAMES, max_side: MAX_SIDE, runs: opts.runs,
    ours_ms: round(m.ours), ffmpeg_ms: round(ffmpegMs), video_element_ms: round(m.videoElement),
    ratio_vs_ffmpeg: round(m.ours / ffmpegMs, 3), ratio_vs_video_element: round(m.videoElement / m.ours, 3),
    ours_wall_with_fetch_ms: round(m.oursWall), ffmpeg_select_ms: round(m.ffSelect), ffmpeg_fps_ms: round(m.ffFps),
    ...decoderJson('decoder', dec), ...(dec10 ? decoderJson('decoder_10s', dec10) : {}),
  };

  if (opts.long) {
    log('');
    log('[bench] memory: Chromium process tree (browser + all descendants), summed VmRSS polled every 20 ms during one sample() call');
    log('[bench]   (each in a fresh browser after a warm-up sample of the 10 s clip; peak minus the idle baseline before the call;');
    log('[bench]    the clip is chosen in a file input, so it stays on disk as in the app)');
    const short = await measurePeak(baseURL, clip10s, '/__files/clip-10s');
    const long = await measurePeak(baseURL, clip1h, '/__files/clip-10s');
    for (const [name, r] of [['10 s', short], ['1 h', long]]) {
      log(`[bench] ${name} clip (${(r.fileSize / 2 ** 20).toFixed(1)} MiB, ${r.frameCount} frames): sample ${r.ms.toFixed(0)} ms (+fetch: ${r.wallMs.toFixed(0)} ms); `
        + `tree RSS baseline ${r.baselineMb.toFixed(0)} MiB, peak ${r.peakMb.toFixed(0)} MiB, peak - baseline ${r.deltaMb.toFixed(1)} MiB `
        + `(${r.processes} processes: ${countTypes(r.types)}; ${r.polls} polls; peak - baseline per type: `
      + `${Object.entries(r.deltaByType).map(([t, v]) => `${t} ${v.toFixed(1)}`).join(', ')} MiB); page JS heap peak ${r.heapPeakMb?.toFixed(1) ?? 'n/a'} MiB (+${r.heapDeltaMb?.toFixed(1) ?? 'n/a'} MiB, main thread only)`);
    }
    const ratio = long.deltaMb / Math.max(short.deltaMb, 1e-9);
    log('[bench] container index: JS heap the open mediabunny Input holds after probing (main thread, full GC before each reading)');
    const idx10 = await measureIndex(baseURL, clip10s);
    const idx1h = await measureIndex(baseURL, clip1h);
    for (const [name, r] of [['10 s', idx10], ['1 h', idx1h]]) {
      log(`[bench]   ${name} clip (${r.frameCount} frames): index ${(r.indexBytes / 2 ** 20).toFixed(2)} MiB (${(r.indexBytes / r.frameCount).toFixed(1)} B per frame); `
        + `heap before ${(r.heapBefore / 2 ** 20).toFixed(1)}, with our timeline ${(r.heapWithTimeline / 2 ** 20).toFixed(1)}, open ${(r.heapOpen / 2 ** 20).toFixed(1)}, closed ${(r.heapClosed / 2 ** 20).toFixed(1)} MiB; `
        + `sample table entries: ${r.counts ? Object.entries(r.counts).filter(([, v]) => typeof v === 'number').map(([k, v]) => `${k} ${v}`).join(', ') : 'n/a'}`);
    }
    const perFrame = (idx1h.indexBytes - idx10.indexBytes) / (idx1h.frameCount - idx10.frameCount);
    const perHourMb = (perFrame * (idx1h.frameCount / idx1h.duration) * 3600) / 2 ** 20;
    log(`[bench]   index cost: ${perFrame.toFixed(1)} B per frame = ${perHourMb.toFixed(1)} MiB of JS heap per hour at ${(idx1h.frameCount / idx1h.duration).toFixed(0)} fps`);
    const c = idx1h.counts ?? {};
    // Counted: the moov bytes (kept), 4 B per array slot (V8 small integers, pointer compression), ~32 B per
    // {presentationTimestamp, sampleIndex} object (only when the file has composition offsets, i.e. B-frames).
    const counted = (c.moovBytes ?? 0) + 4 * ((c.sampleSizes ?? 0) + (c.presentationTimestampIndexMap ?? 0)) + 32 * (c.presentationTimestamps ?? 0);
    log(`[bench]   counted for the 1 h clip: moov ${c.moovBytes} B + ${c.sampleSizes} sample sizes x 4 B`
      + `${c.presentationTimestamps ? ` + ${c.presentationTimestamps} pts objects x ~32 B + index map x 4 B` : ' (no composition offsets: no per-frame pts objects)'}`
      + ` = ${(counted / 2 ** 20).toFixed(2)} MiB; our own timeline adds ${(8 * idx1h.frameCount / 2 ** 20).toFixed(2)} MiB (8 B per frame)`);
    log('[bench]   not bounded with mediabunny\'s API: on first use an MP4 track parses its whole stbl into per-sample JS arrays (one size per sample; with B-frames '
      + 'also one {presentationTimestamp, sampleIndex} object per frame and an index map) and keeps them and the moov bytes until the Input is disposed; '
      + 'the API has no option to page or drop them. Cheap bound (not implemented): dispose the Input after probing and after each decode, keeping only our timeline, at the cost of re-reading the moov per open');
    Object.assign(json, {
      index_mb_10s: round(idx10.indexBytes / 2 ** 20, 2), index_mb_1h: round(idx1h.indexBytes / 2 ** 20, 2),
      index_bytes_per_frame: round(perFrame, 1), index_mb_per_hour: round(perHourMb, 1),
    });
    log(`[bench] peak memory 1 h / 10 s = ${ratio.toFixed(2)} (${long.deltaMb.toFixed(1)} / ${short.deltaMb.toFixed(1)} MiB)`);
    Object.assign(json, {
      peak_mb_1h: round(long.deltaMb), peak_mb_10s: round(short.deltaMb), peak_ratio_1h_vs_10s: round(ratio, 2),
      file_mb_1h: round(long.fileSize / 2 ** 20), file_mb_10s: round(short.fileSize / 2 ** 20),
      sample_ms_1h: round(long.ms), sample_ms_10s: round(short.ms),
      js_heap_peak_mb_1h: round(long.heapPeakMb), js_heap_peak_mb_10s: round(short.heapPeakMb),
      baseline_mb_1h: round(long.baselineMb), baseline_mb_10s: round(short.baselineMb),
    });
  }
  console.log(JSON.stringify(json));
}

try {
  await main();
} catch (error) {
  console.error(`[bench] failed: ${error?.stack ?? error}`);
  process.exitCode = 1;
} finally {
  await cleanup();
}
