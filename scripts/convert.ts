/**
 * Converts preference sets between formats, headless, with the app's own code.
 *
 *   npm run convert -- --in FILE --from FORMAT --to FORMAT --videos VIDEO_DIR --out OUT_DIR
 *       [--frame-size 224] [--nested-frames] [--absolute] [--name pasta_dpo]
 *       [--model qwen2.5-vl|idefics3|llava-onevision] [--max-tokens N] [--over-budget warn|refuse]
 *       [--val-fraction F] [--licence TEXT]
 *   npm run convert -- --in FILE --from FORMAT --to FORMAT --out FILE.jsonl      (records only)
 *
 * FORMAT: canonical, trl, llama-factory, ms-swift, llava-hound, llava-next (--from also takes auto).
 *
 * With an output folder, OUT_DIR/pairs.jsonl is written with every path relative to OUT_DIR, so a trainer run
 * inside OUT_DIR reads it as is: the training frames each record names are decoded from the videos (paths in
 * the records are relative to --videos) with ffmpeg and written under OUT_DIR/frames/, the videos are reached
 * through the link OUT_DIR/videos, and manifest.json lists each frame's source index and timestamp.
 * --absolute writes absolute paths instead (and makes no link). For llama-factory, dataset_info.json is
 * written (merged into an existing one) beside the records.
 *
 * Every output folder gets README.md, a dataset card (source-video licence from --licence, generators, adversary
 * recipes and seeds, counts per category, how each trainer loads it); a README.md it did not write is left alone.
 * --val-fraction F also writes pairs.val.jsonl with about that share of the videos' pairs.
 *
 * Before writing, each record's visual tokens (for --model's family, from the exported frame size) plus an
 * estimate of its text are compared with the trainer's limit (TRL max_length 1024, LLaMA-Factory cutoff_len
 * 2048, ...; --max-tokens sets it): records over it are named, and left out with --over-budget refuse.
 *
 * Malformed records are reported on stderr with their line numbers, and pairs a trainer would misread with
 * their id; the others are written. Exits 1 when nothing valid was read, 2 on bad arguments.
 */
import { existsSync, mkdirSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { CARD_MARKER, FORMAT_IDS, type FormatId, MODEL_FAMILIES, type ModelFamily, budgetSummary, datasetCard, exportPairs, importText, splitExport, tokenBudget, trainFrameCount } from '../src/export';
import { fitMaxSide } from '../src/media/frameSize';
import { probeVideo } from '../src/media/probe';
import { linspacePicks } from '../src/media/samplers';
import { RECIPES } from '../src/adversary';
import type { FrameTimeline } from '../src/media/timeline';
import type { PreferencePair } from '../src/pairs';
import { isInsideRoot } from '../src/export/videoPath';
import { type FrameTarget, writeFrames } from './ffmpegFrames';
import { findFfmpeg } from './find-tools.mjs';

const USAGE = `usage: npm run convert -- --in FILE --from (auto|${FORMAT_IDS.join('|')}) --to (${FORMAT_IDS.join('|')}) (--videos DIR --out DIR | --out FILE.jsonl) [--frame-size N] [--nested-frames] [--absolute] [--name NAME]`;
function usage(message: string): never {
  console.error(`${message}\n${USAGE}`);
  process.exit(2);
}

const argv = process.argv.slice(2);
const arg = (name: string) => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
};
const flag = (name: string) => argv.includes(name);
const input = arg('--in') ?? usage('--in is required');
const output = arg('--out') ?? usage('--out is required');
const from = (arg('--from') ?? 'auto') as FormatId | 'auto';
const to = (arg('--to') ?? usage('--to is required')) as FormatId;
if (from !== 'auto' && !FORMAT_IDS.includes(from)) usage(`unknown --from format "${from}"`);
if (!FORMAT_IDS.includes(to)) usage(`unknown --to format "${to}"`);
const videosArg = arg('--videos');
const toFolder = !/\.jsonl?$/i.test(output);
const frameSize = Number(arg('--frame-size') ?? 224);
if (!Number.isInteger(frameSize) || frameSize < 16) usage(`--frame-size must be an integer of at least 16 (the longest side in pixels), got ${arg('--frame-size')}`);
const nestedFrames = flag('--nested-frames');
if (nestedFrames && to !== 'llama-factory' && to !== 'ms-swift') usage('--nested-frames applies to llama-factory and ms-swift only');
const absolute = flag('--absolute');
const family = (arg('--model') ?? 'qwen2.5-vl') as ModelFamily;
if (!MODEL_FAMILIES.includes(family)) usage(`unknown --model "${family}" (one of ${MODEL_FAMILIES.join(', ')})`);
const maxTokens = arg('--max-tokens') === undefined ? undefined : Number(arg('--max-tokens'));
if (maxTokens !== undefined && !(Number.isInteger(maxTokens) && maxTokens > 0)) usage(`--max-tokens must be a positive integer, got ${arg('--max-tokens')}`);
const overBudget = arg('--over-budget') ?? 'warn';
if (overBudget !== 'warn' && overBudget !== 'refuse') usage(`--over-budget must be warn or refuse, got ${overBudget}`);
const valFraction = Number(arg('--val-fraction') ?? 0);
if (!(valFraction >= 0 && valFraction < 1)) usage(`--val-fraction must be at least 0 and below 1, got ${arg('--val-fraction')}`);
// Which formats' records name frame files the export has to write.
const namesFrames = to === 'trl' || to === 'llava-hound' || nestedFrames;
if (!toFolder && namesFrames) usage(`${to} records name frame files, which a single --out file cannot hold: give --videos VIDEO_DIR and an --out folder, and the frames are written there`);
if (toFolder && to !== 'canonical' && !videosArg) usage('--videos is required with an --out folder: video paths in the records are relative to it');

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
const formats = Object.entries(imported.formats).map(([f, n]) => `${n} ${f}`).join(', ');

if (!toFolder) {
  const result = exportPairs(imported.pairs, to, { datasetName: path.basename(output).replace(/\..*$/, '') || 'pasta_dpo', fileName: path.basename(output), existingDatasetInfo: readIfExists(path.join(path.dirname(output), 'dataset_info.json')) });
  for (const e of result.errors) console.error(`${input}: ${e.message}`);
  writeFileSync(output, result.text);
  for (const [name, content] of Object.entries(result.extraFiles)) writeFileSync(path.join(path.dirname(output), name), content);
  console.error(`read ${imported.pairs.length} records (${formats}), ${imported.errors.length} malformed; wrote ${result.written.length} ${to} records to ${output}${result.errors.length ? `; ${result.errors.length} left out` : ''}`);
  process.exit(0);
}

function readIfExists(file: string): string | null {
  return existsSync(file) ? readFileSync(file, 'utf8') : null;
}

const outDir = path.resolve(output);
mkdirSync(outDir, { recursive: true });
const videoDir = videosArg ? realpathSync(videosArg) : null;
const left: string[] = [];
const warnings: string[] = [];

// Probe each video once (packet metadata only, no decoding): its timeline plans the frames, its size their scale.
const timelines = new Map<string, { timeline: FrameTimeline; width: number; height: number }>();
let pairs: PreferencePair[] = [];
for (const pair of imported.pairs) {
  // A path outside the root is named by the exporter; only paths inside it are looked up.
  if (!videoDir || to === 'canonical' || !isInsideRoot(pair.video.path)) {
    pairs.push(pair);
    continue;
  }
  const file = path.join(videoDir, pair.video.path);
  if (!pair.video.path || !existsSync(file)) {
    left.push(`pair ${pair.id}: video "${pair.video.path}" is not under ${videosArg}; left out`);
    continue;
  }
  if (!timelines.has(pair.video.path)) {
    try {
      const { probe, timeline } = await probeVideo(new Blob([readFileSync(file)]));
      timelines.set(pair.video.path, { timeline, width: probe.width, height: probe.height });
    } catch (e) {
      left.push(`pair ${pair.id}: video "${pair.video.path}" cannot be read (${(e as Error).name}: ${(e as Error).message}); left out`);
      continue;
    }
  }
  const { timeline } = timelines.get(pair.video.path)!;
  // The probed duration and rate replace unknown ones, so fps-mode sampling counts the real frames.
  pairs.push({ ...pair, video: { ...pair.video, duration_s: pair.video.duration_s ?? timeline.duration, native_fps: pair.video.native_fps ?? timeline.fps } });
}

const exportOptions = {
  datasetName: arg('--name') ?? 'pasta_dpo',
  fileName: 'pairs.jsonl',
  nestedFrames,
  videoRoot: absolute ? videoDir! : 'videos',
  frameRoot: absolute ? outDir : undefined,
  existingDatasetInfo: readIfExists(path.join(outDir, 'dataset_info.json')),
};
let result = exportPairs(pairs, to, exportOptions);

// The visual-token budget, from the size the frames are exported at (trainers resize them further).
let budgetLine = '';
if (to !== 'canonical') {
  const budgets = result.written.map((pair) => {
    const v = timelines.get(pair.video.path);
    const size = v ? fitMaxSide(v.width, v.height, frameSize) : { width: frameSize, height: frameSize };
    return tokenBudget(pair, to, { family, frameSize: size, asVideo: to !== 'trl', limit: maxTokens });
  });
  budgetLine = budgetSummary(budgets, family, to);
  const over = budgets.filter((b) => b.over);
  for (const b of over) (overBudget === 'refuse' ? left : warnings).push(`pair ${b.pairId}: about ${b.visual + b.text} tokens (${b.visual} visual + ${b.text} text) for ${family}, over the limit ${b.limit}; ${overBudget === 'refuse' ? 'left out' : 'the trainer will truncate it'} (raise the limit, or export fewer or smaller frames)`);
  if (overBudget === 'refuse' && over.length > 0) {
    const drop = new Set(over.map((b) => b.pairId));
    pairs = pairs.filter((p) => !drop.has(p.id));
    result = exportPairs(pairs, to, exportOptions);
  }
}

// Decode the frames the records name, one ffmpeg pass per video.
const manifest: Record<string, unknown>[] = [];
if (result.frames.size > 0) {
  const ffmpeg = findFfmpeg();
  if (!ffmpeg) {
    console.error(`${to} records name frame files, and Node has no video decoder of its own (no WebCodecs): install ffmpeg (Debian: apt-get install ffmpeg) or set FFMPEG_PATH, or export the zip from the app, which decodes in the browser`);
    process.exit(1);
  }
  const byVideo = new Map<string, PreferencePair[]>();
  for (const { pair } of result.frames.values()) byVideo.set(pair.video.path, [...(byVideo.get(pair.video.path) ?? []), pair]);
  const failed = new Set<string>();
  const scratch = path.join(outDir, '.scratch');
  for (const [video, group] of byVideo) {
    const { timeline, width, height } = timelines.get(video)!;
    const size = fitMaxSide(width, height, frameSize);
    const targets = new Map<number, FrameTarget>();
    for (const pair of group) {
      const named = result.frames.get(pair.id)!;
      const picks = linspacePicks(timeline, trainFrameCount(pair), trainFrameCount(pair, { even: named.even }));
      picks.forEach((p, i) => {
        const t = targets.get(p.index) ?? { index: p.index, files: [] };
        t.files.push(path.join(outDir, named.files[i]));
        targets.set(p.index, t);
      });
      manifest.push({ id: pair.id, video, fps: timeline.fps, frame_size: size, train_frames: picks.map((p, i) => ({ file: named.files[i], index: p.index, timestamp: p.timestamp })) });
    }
    try {
      await writeFrames(ffmpeg, path.join(videoDir!, video), [...targets.values()], size, scratch);
    } catch (e) {
      for (const pair of group) failed.add(pair.id);
      left.push(`video "${video}": its frames could not be decoded (${(e as Error).message}); its ${group.length} pair(s) left out`);
    }
  }
  rmSync(scratch, { recursive: true, force: true });
  if (failed.size > 0) {
    pairs = pairs.filter((p) => !failed.has(p.id));
    result = exportPairs(pairs, to, exportOptions);
  }
}

for (const m of [...warnings, ...left]) console.error(`${input}: ${m}`);
for (const e of result.errors) console.error(`${input}: ${e.message}`);
const writtenIds = new Set(result.written.map((p) => p.id));
const { outputs, oneSided } = splitExport(result, to, exportOptions, valFraction);
if (oneSided) console.error(`${input}: the split by video put every pair on one side (${outputs.map((o) => o.written.length).join(' train, ')} validation): it needs more videos`);
for (const o of outputs) writeFileSync(path.join(outDir, o.fileName), o.text);
for (const [name, content] of Object.entries(outputs.at(-1)!.extraFiles)) writeFileSync(path.join(outDir, name), content);
writeFileSync(path.join(outDir, 'manifest.json'), `${JSON.stringify({ tool: 'PASTA Workbench', format: to, records: outputs.map((o) => o.fileName), max_side: frameSize, pairs: manifest.filter((m) => writtenIds.has(m.id as string)) }, null, 1)}\n`);
const readme = path.join(outDir, 'README.md');
if (!existsSync(readme) || readFileSync(readme, 'utf8').startsWith(CARD_MARKER)) {
  const card = datasetCard({ datasetName: exportOptions.datasetName, format: to, pairs: result.written, files: { train: outputs[0].fileName, validation: outputs[1]?.fileName }, videoLicence: arg('--licence') ?? null, selection: `Every valid record of ${path.basename(input)} that ${to} can carry (${result.written.length} of ${imported.pairs.length}).`, frameSize, nestedFrames, budget: budgetLine, recipeKind: (id) => RECIPES.get(id)?.kind });
  writeFileSync(readme, card);
} else console.error(`${input}: README.md exists in ${output} and is not a card of ours: left as it was`);
// Video formats name the videos: reach them from OUT_DIR through one link instead of copying them.
const link = path.join(outDir, 'videos');
if (!absolute && videoDir && result.written.length > 0 && !namesFrames && to !== 'canonical' && !existsSync(link)) symlinkSync(videoDir, link, 'dir');
if (budgetLine) console.error(`visual tokens at ${frameSize} px, ${budgetLine}`);
console.error(`read ${imported.pairs.length} records (${formats}), ${imported.errors.length} malformed; wrote ${result.written.length} ${to} records to ${outputs.map((o) => path.join(outDir, o.fileName)).join(' and ')}${result.frames.size ? ` with ${[...result.frames.values()].filter((f) => writtenIds.has(f.pair.id)).reduce((n, f) => n + f.files.length, 0)} frames` : ''}${left.length + result.errors.length ? `; ${left.length + result.errors.length} left out` : ''}`);
