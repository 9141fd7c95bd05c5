import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/**
 * Where the page may send requests besides its own origin: the Video-LLM
 * servers of the Pipeline view. Loopback by default (a local server, or a
 * cluster's server through an SSH tunnel); PASTA_CONNECT_SRC adds origins
 * (space-separated, e.g. "http://gpu-node:8000") when serving the app.
 */
export const CONNECT_SRC = ["'self'", 'http://127.0.0.1:*', 'http://localhost:*', ...(process.env.PASTA_CONNECT_SRC ?? '').split(/\s+/).filter(Boolean)];

/**
 * Cross-origin isolation lets ONNX Runtime use threaded WASM; the CSP keeps
 * every script local and every request on this origin or a server the user
 * chose (CONNECT_SRC), so videos go nowhere else. 'wasm-unsafe-eval' is what
 * WebAssembly needs.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "worker-src 'self'",
  "style-src 'self'",
  "img-src 'self' blob: data:",
  "media-src 'self' blob:",
  `connect-src ${CONNECT_SRC.join(' ')}`,
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const isolation = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

export default defineConfig({
  plugins: [react()],
  // The dev server injects inline scripts for hot reload, so it gets isolation but not the strict CSP.
  server: { headers: isolation },
  preview: {
    host: '127.0.0.1',
    port: 4173,
    strictPort: true,
    headers: { ...isolation, 'Content-Security-Policy': CONTENT_SECURITY_POLICY, 'X-Content-Type-Options': 'nosniff' },
  },
  worker: { format: 'es' },
  build: {
    target: 'es2022',
    manifest: true,
    rollupOptions: { input: { main: 'index.html', harness: 'harness.html', trainHarness: 'train-harness.html' } },
  },
});
