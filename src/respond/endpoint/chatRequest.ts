/**
 * The chat-completions request body, built by one pure function from frames
 * already encoded, so tests and the pipeline can record exactly which frames
 * were sent and how.
 */
import type { GenerationSettings } from '../responder';
import { dataUrl } from './base64';
import type { EndpointVideoAs } from './options';

/** The encoded view: one JPEG per frame (`image_url`), or one MP4 clip (`video_url`); none for text-only requests. */
export type EncodedMedia =
  | { kind: 'image_url'; jpegs: readonly Uint8Array[] }
  | { kind: 'video_url'; mp4: Uint8Array }
  | { kind: 'none' };

/** One content part of a user message, as the OpenAI chat API (and vLLM) define it. */
export type ContentPart =
  | { type: 'text'; text: string }
  | { type: 'image_url'; image_url: { url: string } }
  | { type: 'video_url'; video_url: { url: string } };

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string | ContentPart[];
}

/** The body POSTed to `/v1/chat/completions`. */
export interface ChatRequestBody {
  model: string;
  messages: ChatMessage[];
  max_tokens?: number;
  temperature?: number;
  top_p?: number;
  seed?: number;
  stream?: boolean;
  stream_options?: { include_usage: boolean };
  logprobs?: boolean;
  [extra: string]: unknown;
}

export interface ChatRequestInput {
  model: string;
  query: string;
  media: EncodedMedia;
  settings?: GenerationSettings;
  systemPrompt?: string;
  stream?: boolean;
  logprobs?: boolean;
  extraBody?: Record<string, unknown>;
}

/** How the media went, for provenance: the transport and how many frames it carried. */
export const transportOf = (media: EncodedMedia): EndpointVideoAs | undefined => (media.kind === 'none' ? undefined : media.kind);

/**
 * The request body: one user message whose content is the media parts
 * followed by the text (text-only, a plain string, when there are no frames);
 * generation settings mapped to their OpenAI names; `extraBody` merged last.
 */
export function chatRequest(input: ChatRequestInput): ChatRequestBody {
  const { media, settings = {} } = input;
  const parts: ContentPart[] = [];
  if (media.kind === 'image_url') for (const jpeg of media.jpegs) parts.push({ type: 'image_url', image_url: { url: dataUrl('image/jpeg', jpeg) } });
  if (media.kind === 'video_url') parts.push({ type: 'video_url', video_url: { url: dataUrl('video/mp4', media.mp4) } });
  // A text LLM (the judge) may not take content parts at all: a plain string is the widest-accepted shape.
  const content: ChatMessage['content'] = parts.length ? [...parts, { type: 'text', text: input.query }] : input.query;
  const messages: ChatMessage[] = [];
  if (input.systemPrompt) messages.push({ role: 'system', content: input.systemPrompt });
  messages.push({ role: 'user', content });
  const body: ChatRequestBody = { model: input.model, messages };
  if (settings.maxTokens !== undefined) body.max_tokens = settings.maxTokens;
  if (settings.temperature !== undefined) body.temperature = settings.temperature;
  if (settings.topP !== undefined) body.top_p = settings.topP;
  if (settings.seed !== undefined) body.seed = settings.seed;
  if (input.stream) {
    body.stream = true;
    // vLLM and OpenAI send usage in a stream only when asked; transformers serve sends it anyway.
    body.stream_options = { include_usage: true };
  }
  if (input.logprobs) body.logprobs = true;
  for (const [k, v] of Object.entries(input.extraBody ?? {})) {
    if (v === undefined) delete body[k];
    else body[k] = v;
  }
  return body;
}
