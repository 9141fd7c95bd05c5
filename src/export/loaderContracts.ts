/**
 * The rules each trainer's own loader applies to a record, restated as checks of ours (their code is not
 * copied here; each rule names the file and function whose behaviour it stands for). They run on real
 * exports in the tests, for the trainers that cannot be installed here (LLaMA-Factory, ms-swift,
 * LLaVA-Hound-DPO, LLaVA-NeXT); TRL itself trains on our exports in trlTrains.test.ts.
 *
 * Revisions read: LLaMA-Factory ff6d4d1 (2026-08), ms-swift 3602360 (2026-08), LLaVA-Hound-DPO ec2381f,
 * LLaVA-NeXT df17966 (2026-04).
 */

/** What a check may ask of the file system, relative to the folder the trainer runs in (the dataset root). */
export interface DatasetFiles {
  isFile(path: string): boolean;
  /** Entries of a folder, or null when the path is not a folder. */
  list(path: string): string[] | null;
  /** First bytes of a file, to tell a JPEG from anything else. */
  head(path: string): Uint8Array | null;
}

type Rec = Record<string, unknown>;
const isStr = (v: unknown): v is string => typeof v === 'string';
const count = (text: string, tag: string) => text.split(tag).length - 1;
const isJpeg = (b: Uint8Array | null) => !!b && b[0] === 0xff && b[1] === 0xd8;

function mediaProblems(entries: unknown[], files: DatasetFiles, what: string): string[] {
  const out: string[] = [];
  entries.forEach((v, i) => {
    if (isStr(v)) {
      if (!files.isFile(v)) out.push(`${what}[${i}] "${v}" is not a file`);
    } else if (Array.isArray(v)) {
      // A nested list is a video given as its frames; each must be an existing picture.
      v.forEach((f, j) => {
        if (!isStr(f) || !isJpeg(files.head(f))) out.push(`${what}[${i}][${j}] ${JSON.stringify(f)} is not an image file`);
      });
    } else out.push(`${what}[${i}] is neither a path nor a list of frame paths`);
  });
  return out;
}

/**
 * LLaMA-Factory, sharegpt + ranking, with the `dataset_info.json` entry that registers the file.
 * - data/parser.py get_dataset_list / DatasetAttr.join: the entry's `columns` (plural) map our keys; `file_name` is
 *   joined to dataset_dir and data/loader.py raises when it is neither a file nor a folder, or not json/jsonl.
 * - data/converter.py SharegptDatasetConverter: turns alternate user-side (human/observation) and assistant-side
 *   (gpt/function_call) tags; with ranking the count must be odd; chosen and rejected are messages with an
 *   assistant-side tag. A broken record is skipped with only a warning.
 * - data/mm_plugin.py MMPluginMixin._validate_messages: the <image>, <video>, <audio> counts over the prompt and
 *   the response must equal the numbers of images, videos, audios, or it raises.
 * - data/converter.py DatasetConverter._find_medias and mm_plugin._regularize_videos: paths are joined to
 *   media_dir (the dataset folder); a nested list is a video as frames, each of which must exist.
 */
export function checkLlamaFactory(record: Rec, info: Rec, fileName: string, files: DatasetFiles): string[] {
  const out: string[] = [];
  const entry = Object.values(info).find((e) => (e as Rec)?.file_name === fileName) as Rec | undefined;
  if (!entry) return [`dataset_info.json has no entry with file_name "${fileName}"`];
  if (!files.isFile(fileName)) out.push(`file_name "${fileName}" is not a file in the dataset folder`);
  if (!/\.jsonl?$/.test(fileName)) out.push(`file_name "${fileName}" is not .json or .jsonl`);
  if (entry.formatting !== 'sharegpt' || entry.ranking !== true) out.push('the entry is not formatting "sharegpt" with ranking true');
  if ('column' in entry) out.push('the entry has "column"; LLaMA-Factory reads "columns"');
  const columns = (entry.columns ?? {}) as Rec;
  const col = (k: string, d: string) => (isStr(columns[k]) ? columns[k] : d);
  const messages = record[col('messages', 'conversations')];
  if (!Array.isArray(messages)) return [...out, `no "${col('messages', 'conversations')}" list`];
  messages.forEach((m, i) => {
    const from = (m as Rec)?.from;
    const ok = i % 2 === 0 ? from === 'human' || from === 'observation' : from === 'gpt' || from === 'function_call';
    if (!ok || !isStr((m as Rec)?.value)) out.push(`${col('messages', 'conversations')}[${i}] has tag ${JSON.stringify(from)} out of turn, or no value`);
  });
  if (messages.length % 2 === 0) out.push(`ranking needs an odd number of prompt messages, got ${messages.length}`);
  const media = { '<image>': col('images', ''), '<video>': col('videos', ''), '<audio>': col('audios', '') };
  for (const side of ['chosen', 'rejected']) {
    const r = record[col(side, side)] as Rec | undefined;
    if (!r || (r.from !== 'gpt' && r.from !== 'function_call') || !isStr(r.value)) {
      out.push(`"${side}" is not a gpt message`);
      continue;
    }
    const text = [...messages.map((m) => String((m as Rec).value)), r.value].join('\n');
    for (const [tag, key] of Object.entries(media)) {
      const n = key && Array.isArray(record[key]) ? (record[key] as unknown[]).length : 0;
      if (count(text, tag) !== n) out.push(`prompt + ${side} hold ${count(text, tag)} ${tag} for ${n} media`);
    }
  }
  if ('video' in record && !('videos' in columns)) out.push('the record has "video"; the columns map "videos"');
  const videos = record[col('videos', 'videos')];
  if (Array.isArray(videos)) out.push(...mediaProblems(videos, files, 'videos'));
  return out;
}

/**
 * ms-swift DPO (messages + rejected_response).
 * - dataset/preprocessor/core.py RowPreprocessor._check_messages: messages not empty, roles among system, user,
 *   assistant, tool roles; no null content.
 * - core.py _check_rejected_response: rejected_response must exist and differ from the last message's content,
 *   or the row is deleted (with a logged traceback only).
 * - template/base.py Template._add_default_tags: counts <image>/<video>/<audio> over all messages; fewer tags
 *   than media get tags added in front, more are left as text with a warning. Either way the text changes, so
 *   the counts must match.
 * - template/templates/qwen.py replace_tag: a video given as a list is read as frames (at qwen-vl-utils' FPS).
 */
export function checkMsSwift(record: Rec, files: DatasetFiles): string[] {
  const out: string[] = [];
  const messages = record.messages;
  if (!Array.isArray(messages) || messages.length === 0) return ['"messages" is missing or empty'];
  const roles = new Set(['system', 'user', 'assistant', 'tool_call', 'tool_response', 'tool']);
  messages.forEach((m, i) => {
    if (!roles.has((m as Rec)?.role as string)) out.push(`messages[${i}] has role ${JSON.stringify((m as Rec)?.role)}`);
    if (!isStr((m as Rec)?.content)) out.push(`messages[${i}] has no content`);
  });
  const last = (messages.at(-1) as Rec).content;
  if (record.rejected_response === undefined || record.rejected_response === null) out.push('"rejected_response" is missing');
  else if (record.rejected_response === last) out.push('"rejected_response" equals the chosen answer: ms-swift deletes the row');
  const text = messages.map((m) => String((m as Rec).content)).join('\n');
  for (const [tag, key] of [['<image>', 'images'], ['<video>', 'videos'], ['<audio>', 'audios']] as const) {
    const n = Array.isArray(record[key]) ? (record[key] as unknown[]).length : 0;
    if (count(text, tag) !== n) out.push(`messages hold ${count(text, tag)} ${tag} for ${n} ${key}`);
  }
  if (Array.isArray(record.videos)) out.push(...mediaProblems(record.videos, files, 'videos'));
  return out;
}

/**
 * LLaVA-Hound-DPO (dpo_scripts/run_dpo.py DPODataset, video modality).
 * - `video` is joined to --video_folder and handed to LanguageBindVideoProcessor, whose backend is fixed to
 *   'frames' (processing_video.py): load_frames lists the folder and sorts the names. A file there makes the
 *   listing raise; __getitem__ catches it and returns another random record, so the pair is silently replaced.
 * - the prompt loses every <video> and gets one "<video>\n" in front; mm_utils.py tokenizer_X_token splits the
 *   whole conversation (prompt and answer) on <video>, so any other <video> becomes a second video token.
 */
export function checkLlavaHound(record: Rec, files: DatasetFiles): string[] {
  const out: string[] = [];
  for (const k of ['video', 'prompt', 'chosen', 'rejected']) if (!isStr(record[k])) out.push(`"${k}" is not a string`);
  if (out.length) return out;
  const folder = record.video as string;
  const names = files.list(folder);
  if (names === null) out.push(`video "${folder}" is not a folder of frames (Hound lists it; on a file it silently trains on another record)`);
  else if (names.length === 0) out.push(`video folder "${folder}" is empty`);
  else {
    const sorted = [...names].sort();
    if (!sorted.every((n) => isJpeg(files.head(`${folder}/${n}`)))) out.push(`video folder "${folder}" holds files that are not frames`);
    if (sorted.some((n, i) => i > 0 && Number.parseInt(n, 10) <= Number.parseInt(sorted[i - 1], 10))) out.push(`frame names in "${folder}" do not sort in frame order`);
  }
  const question = (record.prompt as string).replace(/^<video>\n/, '');
  if (question.includes('<video>')) out.push('the question holds a <video> that the loader deletes');
  for (const side of ['chosen', 'rejected']) if ((record[side] as string).includes('<video>')) out.push(`"${side}" holds a <video>, which becomes a second video token`);
  return out;
}

/**
 * LLaVA-NeXT (llava/train/train_dpo.py DPODataset).
 * - _get_item: `video` is joined to --video_folder; anything but .pkl is opened with decord's VideoReader, so it
 *   must be a video file (frame folders are read only for two hard-coded data set names).
 * - _get_item: every <image> is deleted from `prompt` and one "<image>\n" put in front; a <video> tag stays in
 *   the text as words. mm_utils.py tokenizer_image_token splits the whole conversation on <image>.
 * - modality_lengths reads sample["answer"], so the key must exist.
 * - __getitem__ retries, then takes the next record: a broken one is replaced, not reported.
 */
export function checkLlavaNext(record: Rec, files: DatasetFiles): string[] {
  const out: string[] = [];
  for (const k of ['video', 'prompt', 'chosen', 'rejected', 'answer']) if (!isStr(record[k])) out.push(`"${k}" is missing or not a string`);
  if (out.length) return out;
  const video = record.video as string;
  if (!files.isFile(video)) out.push(`video "${video}" is not a file (decord opens it)`);
  else if (!/\.(mp4|webm|mkv|mov|avi)$/i.test(video)) out.push(`video "${video}" is not a video file decord reads`);
  if ((record.prompt as string).includes('<video>')) out.push('the prompt holds <video>, which LLaVA-NeXT keeps as text (it adds its own <image>)');
  for (const side of ['chosen', 'rejected']) if ((record[side] as string).includes('<image>')) out.push(`"${side}" holds an <image>, which becomes an image token`);
  return out;
}

/** TRL DPOTrainer with a vision processor: one {"type": "image"} per entry of `images`, each a picture file. */
export function checkTrl(record: Rec, files: DatasetFiles): string[] {
  const images = record.images;
  if (!Array.isArray(images)) return ['"images" is not a list'];
  const prompt = record.prompt as Rec[];
  const entries = Array.isArray(prompt) ? prompt.flatMap((m) => (Array.isArray(m.content) ? m.content : [])).filter((c) => (c as Rec).type === 'image').length : -1;
  const out = entries === images.length ? [] : [`${entries} image entries for ${images.length} images`];
  images.forEach((p, i) => {
    if (!isStr(p) || !isJpeg(files.head(p))) out.push(`images[${i}] ${JSON.stringify(p)} is not an image file`);
  });
  return out;
}
