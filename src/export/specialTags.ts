import type { PreferencePair } from '../pairs/pair';
import { ExportRecordError } from './formatTypes';

/**
 * The literal tags each trainer's loader treats as markup wherever they occur in the text it reads. A question or
 * answer that contains one is miscounted (a placeholder without its media), split into a special token, or
 * silently edited, so such a pair is refused and named. Each list says which loader code it stands for.
 */
export const SPECIAL_TAGS = {
  // LLaMA-Factory data/mm_plugin.py, MMPluginMixin._validate_messages: counts <image>, <video> and <audio> in every
  // message (prompt and responses) and raises when a count differs from the number of media (extras/constants.py).
  'llama-factory': ['<image>', '<video>', '<audio>'],
  // ms-swift template/base.py, Template.special_tokens: these are split out of every message before tokenizing;
  // <image>/<video>/<audio> are matched to media in order (_pre_tokenize), <bbox>/<ref-object> to grounding objects.
  'ms-swift': ['<image>', '<video>', '<audio>', '<bbox>', '<ref-object>', '<cot-process>', '<start-image>'],
  // LLaVA-Hound-DPO llava/mm_utils.py tokenizer_X_token splits the whole conversation on <video> (each one becomes a
  // video token), and run_dpo.py DPODataset deletes every <video> from the prompt; constants.py DEFAULT_X_TOKEN lists
  // the other modality tags of that code base.
  'llava-hound': ['<video>', '<image>', '<audio>', '<thermal>', '<depth>'],
  // LLaVA-NeXT llava/mm_utils.py tokenizer_image_token splits on <image>; train/train_dpo.py DPODataset._get_item
  // deletes every <image> from the prompt and puts one in front. (A <video> there is only text.)
  'llava-next': ['<image>'],
  // TRL inserts images from {"type": "image"} entries; the model's processor then counts its own media tokens in the
  // text (Idefics3Processor and LLaVA's count <image>; Qwen2-VL's <|image_pad|>, caught by the <|...|> rule below;
  // processors of video and audio models count <video> and <audio>).
  trl: ['<image>', '<video>', '<audio>', '<fake_token_around_image>', '<global-img>', '<end_of_utterance>'],
} as const;

export type TaggedFormat = keyof typeof SPECIAL_TAGS;

/** Chat-control tokens such as <|im_start|> or <|vision_start|>: tokenizers read them as control tokens, not text. */
const CONTROL_TOKEN = /<\|[A-Za-z0-9_]+\|>/;

/** The fields every trainer format writes as text. */
const TEXT_FIELDS = ['query', 'chosen', 'rejected'] as const;

/** Refuses a pair whose exported text holds a tag the format's trainer would read as markup, naming field and tag. */
export function refuseSpecialTags(pair: PreferencePair, format: TaggedFormat) {
  for (const field of TEXT_FIELDS) {
    const text = pair[field];
    const tag = SPECIAL_TAGS[format].find((t) => text.includes(t)) ?? text.match(CONTROL_TOKEN)?.[0];
    if (tag) throw new ExportRecordError(pair.id, field, `"${field}" contains a literal ${tag}, which ${format} reads as markup (a media placeholder or special token); edit it out first`);
  }
}

/** Strips one leading `<video>` (and the newline after it) from an imported question. */
export const withoutVideoTag = (text: string) => text.replace(/^\s*<video>\s*\n?/, '');
