import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/**
 * Cross-origin isolation lets ONNX Runtime use threaded WASM; the CSP keeps
 * every script local and every request on this origin, so researchers'
 * videos never leave the machine. 'wasm-unsafe-eval' is what WebAssembly needs.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "worker-src 'self'",
  "style-src 'self'",
  "img-src 'self' blob: data:",
  "media-src 'self' blob:",
  "connect-src 'self'",
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
