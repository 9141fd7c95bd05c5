import type { FormatId, TrainerFormat } from './formatTypes';
import { canonical } from './formats/canonical';
import { llamaFactory } from './formats/llamaFactory';
import { llava } from './formats/llava';
import { msSwift } from './formats/msSwift';
import { trl } from './formats/trl';

/** Every format by id, canonical first. Detection tries them in this order. */
export const FORMATS: Record<FormatId, TrainerFormat> = { canonical, trl, 'llama-factory': llamaFactory, 'ms-swift': msSwift, llava };

/** The format a parsed record looks like, or undefined. */
export const detectFormat = (record: Record<string, unknown>) => Object.values(FORMATS).find((f) => f.looksLike(record));
