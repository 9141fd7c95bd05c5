// Types for find-tools.mjs, so TypeScript tests and configs can import it.
export function findChromium(): string | null;
export function findFfmpeg(): string | null;
export function findTorchPython(): string | null;
export function hasOpenBlas(): boolean;
export function isRoot(): boolean;
export function hasApt(): boolean;
export function findReferencePython(): string | null;
export const REFERENCE_VENV: string;
export const REFERENCE_PACKAGES: string[];
export const REFERENCE_MODULES: Record<string, string>;
export function missingReferencePackages(python: string): string[];
export function findServePython(): string | null;
