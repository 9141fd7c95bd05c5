/**
 * Converts preference sets between formats, headless, with the app's own code.
 *
 *   npm run convert -- --in FILE --from FORMAT --to FORMAT --out FILE
 *
 * FORMAT: canonical, trl, llama-factory, ms-swift, llava (--from also takes auto).
 * Malformed records are reported on stderr with their line numbers and written
 * nowhere; the valid ones are converted. Exits non-zero only when nothing valid
 * was read (or on bad arguments). For llama-factory, dataset_info.json is
 * written beside --out.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { FORMAT_IDS, type FormatId, exportPairs, importText } from '../src/export';

function usage(message: string): never {
  console.error(`${message}\nusage: npm run convert -- --in FILE --from (auto|${FORMAT_IDS.join('|')}) --to (${FORMAT_IDS.join('|')}) --out FILE`);
  process.exit(2);
}

const argv = process.argv.slice(2);
const arg = (name: string) => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
};
const input = arg('--in') ?? usage('--in is required');
const output = arg('--out') ?? usage('--out is required');
const from = (arg('--from') ?? 'auto') as FormatId | 'auto';
const to = (arg('--to') ?? usage('--to is required')) as FormatId;
if (from !== 'auto' && !FORMAT_IDS.includes(from)) usage(`unknown --from format "${from}"`);
if (!FORMAT_IDS.includes(to)) usage(`unknown --to format "${to}"`);

let text: string;
try {
  text = readFileSync(input, 'utf8');
} catch (e) {
  usage(`cannot read ${input}: ${(e as Error).message}`);
}

const imported = await importText(text, { format: from });
for (const e of imported.errors) console.error(`${input}:${e.line}: ${e.field}: ${e.message}`);
if (imported.pairs.length === 0) {
  console.error(`no valid records in ${input}`);
  process.exit(1);
}
const result = exportPairs(imported.pairs, to, { datasetName: path.basename(output).replace(/\..*$/, '') || 'pasta_dpo', fileName: path.basename(output) });
for (const e of result.errors) console.error(`${input}: ${e.message}`);
writeFileSync(output, result.text);
for (const [name, content] of Object.entries(result.extraFiles)) writeFileSync(path.join(path.dirname(output), name), content);
const formats = Object.entries(imported.formats).map(([f, n]) => `${n} ${f}`).join(', ');
console.error(`read ${imported.pairs.length} records (${formats}), ${imported.errors.length} malformed; wrote ${result.written.length} ${to} records to ${output}${result.errors.length ? `; ${result.errors.length} left out` : ''}`);
