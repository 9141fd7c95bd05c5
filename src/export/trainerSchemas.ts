/**
 * JSON Schemas of each trainer's record, written from the fields its
 * documentation names. The tests validate every export against them.
 */
const text = { type: 'string' } as const;
const relativePath = { type: 'string', pattern: '^(?![/\\\\])(?![A-Za-z]:)(?!.*(^|/)\\.\\.(/|$)).+' } as const;
// A video is a file, or (LLaMA-Factory, ms-swift) a nested list of its frames.
const videos = { type: 'array', items: { oneOf: [relativePath, { type: 'array', items: relativePath, minItems: 1 }] }, minItems: 1 } as const;

export const TRAINER_SCHEMAS = {
  trl: {
    type: 'object',
    required: ['prompt', 'chosen', 'rejected', 'images'],
    properties: {
      images: { type: 'array', items: { type: 'string' }, minItems: 1 },
      prompt: {
        type: 'array',
        minItems: 1,
        items: {
          type: 'object',
          required: ['role', 'content'],
          properties: {
            role: { enum: ['user', 'system'] },
            content: { type: 'array', items: { oneOf: [{ type: 'object', required: ['type'], properties: { type: { const: 'image' } }, additionalProperties: false }, { type: 'object', required: ['type', 'text'], properties: { type: { const: 'text' }, text }, additionalProperties: false }] } },
          },
        },
      },
      chosen: { type: 'array', minItems: 1, items: { type: 'object', required: ['role', 'content'], properties: { role: { const: 'assistant' } } } },
      rejected: { type: 'array', minItems: 1, items: { type: 'object', required: ['role', 'content'], properties: { role: { const: 'assistant' } } } },
    },
  },
  'llama-factory': {
    type: 'object',
    required: ['conversations', 'chosen', 'rejected', 'videos'],
    properties: {
      conversations: { type: 'array', minItems: 1, items: { type: 'object', required: ['from', 'value'], properties: { from: { enum: ['human', 'gpt', 'system'] }, value: text }, additionalProperties: false } },
      chosen: { type: 'object', required: ['from', 'value'], properties: { from: { const: 'gpt' }, value: text }, additionalProperties: false },
      rejected: { type: 'object', required: ['from', 'value'], properties: { from: { const: 'gpt' }, value: text }, additionalProperties: false },
      videos,
    },
    additionalProperties: false,
  },
  'ms-swift': {
    type: 'object',
    required: ['messages', 'rejected_response', 'videos'],
    properties: {
      messages: { type: 'array', minItems: 2, items: { type: 'object', required: ['role', 'content'], properties: { role: { enum: ['system', 'user', 'assistant'] }, content: text }, additionalProperties: false } },
      rejected_response: text,
      videos,
      margin: { type: 'number' },
    },
    additionalProperties: false,
  },
  'llava-hound': {
    type: 'object',
    required: ['id', 'video', 'prompt', 'chosen', 'rejected'],
    properties: { id: text, video: relativePath, prompt: { type: 'string', pattern: '^<video>\\n' }, chosen: text, rejected: text, chosen_score: { type: 'number' }, rejected_score: { type: 'number' } },
    additionalProperties: false,
  },
  'llava-next': {
    type: 'object',
    required: ['id', 'video', 'prompt', 'chosen', 'rejected', 'answer'],
    properties: { id: text, video: relativePath, prompt: { type: 'string', not: { pattern: '<video>|<image>' } }, chosen: text, rejected: text, answer: text, chosen_score: { type: 'number' }, rejected_score: { type: 'number' } },
    additionalProperties: false,
  },
  'llama-factory-dataset-info': {
    type: 'object',
    minProperties: 1,
    additionalProperties: {
      type: 'object',
      required: ['file_name', 'formatting', 'ranking', 'columns'],
      properties: {
        file_name: text,
        formatting: { const: 'sharegpt' },
        ranking: { const: true },
        columns: { type: 'object', required: ['messages', 'chosen', 'rejected', 'videos'], properties: { messages: { const: 'conversations' }, chosen: { const: 'chosen' }, rejected: { const: 'rejected' }, videos: { const: 'videos' } } },
      },
    },
  },
} as const;
