/**
 * The README dataset card that travels with every bundle: where the videos come from and under what licence,
 * which model wrote the answers, the adversary recipes and seeds, which pairs were selected, counts per
 * category, and how each trainer loads the set.
 */
import type { PreferencePair } from '../pairs/pair';
import { FORMATS } from './formats';
import type { FormatId } from './formatTypes';

export interface CardInput {
  datasetName: string;
  format: FormatId;
  pairs: readonly PreferencePair[];
  /** Records files, relative to the bundle root. */
  files: { train: string; validation?: string };
  /** Licence of the source videos, as the user states it; null when unknown. */
  videoLicence: string | null;
  /** Which pairs were selected (filters, status). */
  selection: string;
  frameSize: number;
  nestedFrames: boolean;
  /** The visual-token budget line, when one was computed. */
  budget?: string;
  /** Whether a recipe is the paper's or our extension (the adversary layer's RECIPES know; export takes its types only). */
  recipeKind: (recipe: string) => 'paper' | 'visual' | undefined;
}

const tally = (values: string[]) => {
  const counts = new Map<string, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1]);
};
const table = (head: string, rows: [string, number][]) => (rows.length ? [`| ${head} | pairs |`, '|---|---|', ...rows.map(([k, n]) => `| ${k} | ${n} |`)].join('\n') : `No ${head} recorded.`);

/** How each trainer loads the set (run from the bundle's folder). */
function howToLoad(c: CardInput): string {
  const { train, validation } = c.files;
  switch (c.format) {
    case 'trl':
      return ['```python', 'from datasets import load_dataset', `ds = load_dataset("json", data_files={"train": "${train}"${validation ? `, "validation": "${validation}"` : ''}})`, '# DPOTrainer(model=..., args=DPOConfig(max_length=...), train_dataset=ds["train"], processing_class=processor)', '```', 'TRL has no video input: the frames are separate images to the model. Set `max_length` above the visual tokens of a record (see below).'].join('\n');
    case 'llama-factory':
      return ['```yaml', `stage: dpo`, `dataset_dir: .   # this folder, with dataset_info.json`, `dataset: ${c.datasetName}`, ...(validation ? [`eval_dataset: ${c.datasetName}_val`] : []), 'cutoff_len: 2048   # above the visual tokens of a record', '```', c.nestedFrames ? 'Videos are the pairs\' own frame lists: set `video_fps` to the rate they were sampled at (see manifest.json), or LLaMA-Factory assumes 2.' : 'LLaMA-Factory samples the videos itself at `video_fps` / `video_maxlen`.'].join('\n');
    case 'ms-swift':
      return ['```sh', `swift rlhf --rlhf_type dpo --dataset ${train}${validation ? ` --val_dataset ${validation}` : ''} ...`, '```'].join('\n');
    case 'llava-hound':
      return ['```sh', `python dpo_scripts/run_dpo.py --data_path ${train} --video_folder . ...`, '```', '`video` is each pair\'s folder of frames; Hound samples its own number of frames from it.'].join('\n');
    case 'llava-next':
      return ['```sh', `python llava/train/train_dpo.py --data_path ${train} --video_folder . --video_fps 1 --frames_upbound 32 ...`, '```'].join('\n');
    case 'canonical':
      return 'Import it in PASTA Workbench (Curate, Import pairs) or convert it with `npm run convert`.';
  }
}

/** The first line of every card: how a later export knows a README.md is its own to replace. */
export const CARD_MARKER = '<!-- dataset card written by PASTA Workbench -->';

/** The dataset card, as Markdown. */
export function datasetCard(c: CardInput): string {
  const p = c.pairs;
  const recipes = tally(p.flatMap((x) => (x.adversary ? [`${x.adversary.recipe} (${c.recipeKind(x.adversary.recipe) === 'paper' ? 'paper, VideoPASTA' : 'visual, PASTA Workbench extension'})`] : [])));
  const seeds = [...new Set(p.flatMap((x) => (x.adversary ? [x.adversary.seed] : [])))].sort((a, b) => a - b);
  return [
    CARD_MARKER,
    `# ${c.datasetName}`,
    '',
    `A spatiotemporal preference set (after VideoPASTA) exported by PASTA Workbench for ${FORMATS[c.format].label}: ${p.length} pairs.`,
    '',
    '## Source videos',
    c.videoLicence ? `Licence: ${c.videoLicence}.` : 'Licence: not stated. Check the licence of the source videos before sharing this set.',
    `Videos used: ${new Set(p.map((x) => x.video.path)).size}. Frames were exported at ${c.frameSize} px on the longer side.`,
    '',
    '## Who wrote the answers',
    table('generator', tally(p.map((x) => (x.generator ? `${x.generator.name} (${x.generator.kind})` : 'unknown')))),
    '',
    table('judge', tally(p.flatMap((x) => (x.judge ? [`${x.judge.name} (${x.judge.kind})`] : [])))),
    '',
    '## Adversaries',
    table('recipe', recipes),
    '',
    seeds.length ? `Seeds: ${seeds.join(', ')}. manifest.json holds each pair's full spec, so every adversarial view can be rebuilt.` : 'No pair carries an adversary spec.',
    '',
    '## Selection',
    c.selection,
    '',
    table('category', tally(p.map((x) => x.category))),
    '',
    ...(c.files.validation ? [`Split: ${c.files.train} (train) and ${c.files.validation} (validation), by a hash of the video path, so no video is on both sides.`, ''] : []),
    '## Loading',
    howToLoad(c),
    '',
    ...(c.budget ? [`Visual tokens: ${c.budget}.`, ''] : []),
    FORMATS[c.format].drops.length ? `Not carried by this format (see manifest.json and the canonical export): ${FORMATS[c.format].drops.join(', ')}.` : 'Every field of every pair is carried.',
    '',
  ].join('\n');
}
