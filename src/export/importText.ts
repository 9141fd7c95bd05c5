import type { PreferencePair } from '../pairs/pair';
import { PairFieldError, type RecordError } from '../pairs/validate';
import { FORMATS, detectFormat } from './formats';
import type { FormatId } from './formatTypes';

export interface ImportResult {
  pairs: PreferencePair[];
  /** One per malformed record: its line (record number in a JSON array), the field, what is wrong. */
  errors: RecordError[];
  /** Records read per format (auto-detection can meet several). */
  formats: Partial<Record<FormatId, number>>;
}

export interface ImportOptions {
  /** A format, or 'auto' to detect each record's. Default 'auto'. */
  format?: FormatId | 'auto';
  /** Called every few thousand records with (records done, records in all). */
  onProgress?(done: number, total: number): void;
  /** Resolves between chunks so a page stays responsive; omit in Node. */
  yieldEvery?: () => Promise<void>;
  now?: number;
}

/** The records of a JSONL text (one per non-blank line) or a JSON array, each with its line or record number. */
function records(text: string): { line: number; text?: string; value?: unknown; error?: string }[] {
  const trimmed = text.trimStart();
  if (trimmed.startsWith('[')) {
    let all: unknown;
    try {
      all = JSON.parse(trimmed);
    } catch (e) {
      return [{ line: 1, error: `the file starts like a JSON array but is not valid JSON: ${(e as Error).message}` }];
    }
    return (all as unknown[]).map((value, i) => ({ line: i + 1, value }));
  }
  return text.split(/\r?\n/).flatMap((t, i) => (t.trim() === '' ? [] : [{ line: i + 1, text: t }]));
}

const CHUNK = 2000;

/**
 * Reads untrusted pair records. Each malformed record becomes an error with
 * its line and field; every valid record is kept. Nothing is stored here.
 */
export async function importText(text: string, options: ImportOptions = {}): Promise<ImportResult> {
  const { format = 'auto', onProgress, yieldEvery, now = Date.now() } = options;
  const out: ImportResult = { pairs: [], errors: [], formats: {} };
  const all = records(text);
  for (let i = 0; i < all.length; i++) {
    const rec = all[i];
    if (i % CHUNK === 0 && i > 0) {
      onProgress?.(i, all.length);
      await yieldEvery?.();
    }
    if (rec.error) {
      out.errors.push({ line: rec.line, field: '(file)', message: rec.error });
      continue;
    }
    let value = rec.value;
    if (rec.text !== undefined) {
      try {
        value = JSON.parse(rec.text);
      } catch (e) {
        out.errors.push({ line: rec.line, field: '(line)', message: `not valid JSON: ${(e as Error).message}` });
        continue;
      }
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      out.errors.push({ line: rec.line, field: '(line)', message: 'a record must be a JSON object' });
      continue;
    }
    const record = value as Record<string, unknown>;
    const f = format === 'auto' ? detectFormat(record) : FORMATS[format];
    if (!f) {
      out.errors.push({ line: rec.line, field: '(record)', message: `matches no known format (keys: ${Object.keys(record).slice(0, 8).join(', ')})` });
      continue;
    }
    try {
      out.pairs.push(f.read(record, { line: rec.line, now }));
      out.formats[f.id] = (out.formats[f.id] ?? 0) + 1;
    } catch (e) {
      out.errors.push({ line: rec.line, field: e instanceof PairFieldError ? e.field : '(record)', message: (e as Error).message });
    }
  }
  onProgress?.(all.length, all.length);
  return out;
}
