// Types for preview-server.mjs.
import type { ChildProcess } from 'node:child_process';
export function freePort(): Promise<number>;
export function ensureBuild(root: string, dist: string, page: string): void;
export function startPreview(root: string, dist: string, page: string): Promise<{ port: number; child: ChildProcess }>;
