/**
 * Builds an export: the records in a trainer's format and, as a streamed zip,
 * the training frames and both views as JPEG, optional adversarial clips as
 * MP4, and a manifest with every sampling and adversary spec and seed, so the
 * adversarial inputs can be rebuilt from the source videos.
 */
import { Zip, ZipDeflate, ZipPassThrough } from 'fflate';
import { RECIPES, applyAdversary } from '../adversary';
import { type FormatId, FORMATS, type ModelFamily, budgetSummary, datasetCard, exportPairs, splitExport, safeId, tokenBudget, trainFrameCount, trainFramePaths } from '../export';
import { fitMaxSide } from '../media/frameSize';
import { encodeClip } from '../media/encodeClip';
import type { RgbaFrame } from '../core/frame';
import { linspacePicks, planFrames } from '../media/samplers';
import type { VideoRecord } from '../library/videoRecord';
import { type PreferencePair, matchVideos } from '../pairs';
import { cachedFrame, ensureFrames } from './frames/frameStore';
import { librarySources, renderView } from './frames/renderView';

export interface ExportRequest {
  format: FormatId;
  pairs: readonly PreferencePair[];
  videos: readonly VideoRecord[];
  datasetName: string;
  /** Zip with frames (JPEG) and a manifest; without it, just the records file (a zip anyway when the trainer needs extra files). */
  frames: boolean;
  clips: boolean;
  /** LLaMA-Factory and ms-swift: each video as the pair's own frame list. */
  nestedFrames?: boolean;
  /** Longest side of exported frames, in pixels. */
  maxSide: number;
  /** For the dataset card: the source videos' licence (null: unknown) and which pairs were selected. */
  videoLicence?: string | null;
  selection?: string;
  /** Share of the pairs (by video) written to a validation records file; default 0, none. */
  valFraction?: number;
  /** LLaMA-Factory: the dataset_info.json of the folder the set goes into, merged rather than replaced. */
  existingDatasetInfo?: string | null;
  signal?: AbortSignal;
  onProgress?(done: number, total: number): void;
}

export interface ExportOutcome {
  blob: Blob;
  fileName: string;
  written: number;
  /** Pairs left out or exported without frames, each named. */
  problems: string[];
}

/** The visual-token budget line of an export, from each pair's library video at the exported frame size. */
export function exportBudget(pairs: readonly PreferencePair[], videos: readonly VideoRecord[], format: FormatId, family: ModelFamily, maxSide: number): string {
  if (format === 'canonical') return '';
  const { matched } = matchVideos(pairs, videos);
  const byId = new Map(videos.map((v) => [v.id, v]));
  const budgets = pairs.map((p) => {
    const probe = byId.get(matched.get(p.id) ?? '')?.probe;
    const frameSize = probe ? fitMaxSide(probe.width, probe.height, maxSide) : { width: maxSide, height: maxSide };
    return tokenBudget(p, format, { family, frameSize, asVideo: format !== 'trl' });
  });
  return budgetSummary(budgets, family, format);
}

async function jpeg(frame: RgbaFrame): Promise<Uint8Array> {
  const canvas = new OffscreenCanvas(frame.width, frame.height);
  canvas.getContext('2d')!.putImageData(new ImageData(frame.data as Uint8ClampedArray<ArrayBuffer>, frame.width, frame.height), 0, 0);
  return new Uint8Array(await (await canvas.convertToBlob({ type: 'image/jpeg', quality: 0.92 })).arrayBuffer());
}

export async function buildExport(req: ExportRequest): Promise<ExportOutcome> {
  const { format, videos, datasetName, maxSide, signal, onProgress } = req;
  const problems: string[] = [];
  const { matched } = matchVideos(req.pairs, videos);
  const recordsName = `${datasetName}.${format === 'canonical' ? 'pasta' : format}.jsonl`;
  const options = { datasetName, fileName: recordsName, nestedFrames: req.nestedFrames, existingDatasetInfo: req.existingDatasetInfo };
  // Records that name frame files (TRL, LLaVA-Hound, nested frames) need their frames: a pair whose frames cannot be made is left out.
  const named = exportPairs(req.pairs, format, options).frames;
  const pairs = req.pairs.filter((p) => {
    if (!named.has(p.id) || (req.frames && matched.has(p.id))) return true;
    problems.push(`pair ${p.id}: ${req.frames ? `its video ${p.video.path || '(none)'} is not in the library, so` : 'without the zip,'} its frames cannot be exported`);
    return false;
  });
  const records = exportPairs(pairs, format, options);
  problems.push(...records.errors.map((e) => e.message));
  const { outputs, oneSided } = splitExport(records, format, options, req.valFraction ?? 0);
  if (oneSided) problems.push('the validation split by video put every pair on one side: it needs pairs of more videos');
  if (!req.frames && !req.clips && outputs.length === 1 && Object.keys(records.extraFiles).length === 0) {
    return { blob: new Blob([records.text], { type: 'application/jsonl' }), fileName: recordsName, written: records.written.length, problems };
  }

  const chunks: Uint8Array[] = [];
  let failure: Error | null = null;
  const zip = new Zip((err, data) => (err ? (failure = err) : chunks.push(data)));
  const addFile = (name: string, data: Uint8Array, compress: boolean) => {
    const entry = compress ? new ZipDeflate(name, { level: 6 }) : new ZipPassThrough(name);
    zip.add(entry);
    entry.push(data, true);
  };
  const text = (s: string) => new TextEncoder().encode(s);
  for (const o of outputs) addFile(o.fileName, text(o.text), true);
  for (const [name, content] of Object.entries(outputs.at(-1)!.extraFiles)) addFile(name, text(content), true);

  const library = librarySources(videos);
  const manifest: Record<string, unknown>[] = [];
  let done = 0;
  for (const pair of records.written) {
    if (signal?.aborted) throw new DOMException('export cancelled', 'AbortError');
    onProgress?.(done++, records.written.length);
    const recipe = pair.adversary ? RECIPES.get(pair.adversary.recipe) : undefined;
    const entry: Record<string, unknown> = {
      id: pair.id,
      category: pair.category,
      video: pair.video,
      sampling: pair.sampling,
      adversary: pair.adversary,
      // Visual recipes are our extension, not the paper's adversary: say so wherever they travel.
      adversary_kind: recipe ? (recipe.kind === 'paper' ? 'paper (VideoPASTA)' : 'visual (PASTA Workbench extension)') : null,
    };
    manifest.push(entry);
    const video = videos.find((v) => v.id === matched.get(pair.id));
    if (!video?.timeline || !(req.frames || req.clips)) {
      if (req.frames) problems.push(`pair ${pair.id}: video ${pair.video.path || '(none)'} is not in the library; exported without frames`);
      continue;
    }
    const tl = video.timeline;
    if (req.frames) {
      const { files, even } = records.frames.get(pair.id) ?? { files: trainFramePaths(pair), even: false };
      const picks = linspacePicks(tl, trainFrameCount(pair), trainFrameCount(pair, { even }));
      await ensureFrames(video, picks.map((p) => p.index), maxSide, { signal });
      entry.train_frames = await Promise.all(
        picks.map(async (p, i) => {
          addFile(files[i], await jpeg(cachedFrame(video.id, p.index, maxSide)!), false);
          return { file: files[i], index: p.index, timestamp: p.timestamp };
        }),
      );
      entry.fps = tl.fps;
    }
    if (pair.adversary) {
      try {
        const view = applyAdversary(pair.adversary, { video: { id: video.id, path: video.relativePath, timeline: tl }, plan: planFrames(tl, { mode: 'uniform', n: 32 }), library });
        const rendered = await renderView(view, video.id, videos, { maxSide, signal });
        const folder = `views/${safeId(pair.id)}`;
        const views: Record<string, unknown> = {};
        for (const side of ['preferred', 'adversarial'] as const) {
          views[side] = await Promise.all(
            view[side].frames.map(async (f, i) => {
              const file = `${folder}/${side}/${String(i).padStart(3, '0')}.jpg`;
              if (req.frames) addFile(file, await jpeg(rendered[side][i]), false);
              return { file, video: videos.find((v) => v.id === f.video)?.relativePath ?? f.video, index: f.index, timestamp: f.timestamp, ops: f.ops };
            }),
          );
        }
        entry.views = views;
        if (req.clips) {
          const fps = Math.max(1, Math.round(rendered.adversarial.length / Math.max(tl.duration, 1e-3)));
          const clip = `clips/${safeId(pair.id)}.adversarial.mp4`;
          addFile(clip, await encodeClip(rendered.adversarial, fps), false);
          entry.clip = { file: clip, fps };
        }
      } catch (e) {
        problems.push(`pair ${pair.id}: its adversarial views could not be rebuilt: ${(e as Error).message}`);
      }
    }
  }
  onProgress?.(records.written.length, records.written.length);
  const about = { tool: 'PASTA Workbench', format, trainer: FORMATS[format].label, records: outputs.map((o) => o.fileName), created: new Date().toISOString(), max_side: maxSide, pairs: manifest };
  addFile('manifest.json', text(`${JSON.stringify(about, null, 1)}\n`), true);
  const card = datasetCard({ datasetName, format, pairs: records.written, files: { train: recordsName, validation: outputs[1]?.fileName }, videoLicence: req.videoLicence ?? null, selection: req.selection ?? `${records.written.length} pairs.`, frameSize: maxSide, nestedFrames: !!req.nestedFrames, recipeKind: (id) => RECIPES.get(id)?.kind });
  addFile('README.md', text(card), true);
  zip.end();
  if (failure) throw failure;
  return { blob: new Blob(chunks as BlobPart[], { type: 'application/zip' }), fileName: `${datasetName}.${format}.zip`, written: records.written.length, problems };
}
