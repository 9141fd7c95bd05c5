import type { FormatId, TrainerFormat } from './formatTypes';
import { canonical } from './formats/canonical';
import { llamaFactory } from './formats/llamaFactory';
import { llavaHound } from './formats/llavaHound';
import { llavaNext } from './formats/llavaNext';
import { msSwift } from './formats/msSwift';
import { trl } from './formats/trl';

/** Every format by id, canonical first. Detection tries them in this order (LLaVA-NeXT before Hound: only it has `answer`). */
export const FORMATS: Record<FormatId, TrainerFormat> = { canonical, trl, 'llama-factory': llamaFactory, 'ms-swift': msSwift, 'llava-next': llavaNext, 'llava-hound': llavaHound };

/** The format a parsed record looks like, or undefined. */
export const detectFormat = (record: Record<string, unknown>) => Object.values(FORMATS).find((f) => f.looksLike(record));
