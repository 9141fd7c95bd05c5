// The production build served by `vite preview` (with its COOP/COEP/CSP headers) for benchmarks.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';

/** A TCP port free on 127.0.0.1 right now. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

async function waitForHttp(url, child, timeoutMs = 60_000) {
  const t0 = Date.now();
  while (Date.now() - t0 < timeoutMs) {
    if (child.exitCode !== null) throw new Error(`vite preview exited early (code ${child.exitCode})`);
    try {
      const r = await fetch(url);
      if (r.ok) return;
    } catch { /* not up yet */ }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`timed out waiting for ${url}`);
}

/** Builds into `dist` when `dist/<page>` is missing. */
export function ensureBuild(root, dist, page) {
  if (existsSync(path.join(dist, page))) return;
  console.log(`[bench] ${path.relative(root, dist)}/${page} missing: npx vite build --outDir ${path.relative(root, dist)}`);
  execFileSync('npx', ['vite', 'build', '--outDir', dist], { cwd: root, stdio: 'inherit' });
}

/**
 * Starts `vite preview` on a free port and waits until `page` answers.
 * Runs vite's own bin under node, so the returned child's PID is vite itself
 * (an npx wrapper's children can outlive it); the caller stops it by that PID.
 */
export async function startPreview(root, dist, page) {
  const port = await freePort();
  const viteBin = path.join(root, 'node_modules/vite/bin/vite.js');
  const [cmd, args] = existsSync(viteBin)
    ? [process.execPath, [viteBin, 'preview', '--port', String(port), '--strictPort', '--outDir', dist]]
    : ['npx', ['vite', 'preview', '--port', String(port), '--strictPort', '--outDir', dist]];
  const child = spawn(cmd, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (b) => { out += b; });
  child.stderr.on('data', (b) => { out += b; });
  try {
    await waitForHttp(`http://127.0.0.1:${port}/${page}`, child);
  } catch (e) {
    if (child.exitCode === null) process.kill(child.pid, 'SIGTERM');
    throw new Error(`${e.message}\n${out}`);
  }
  return { port, child };
}
