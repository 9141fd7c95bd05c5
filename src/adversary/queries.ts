import { AdversarySpecError } from './errors';
import type { Random } from '../core/random';
import type { AdversarialQuery, Category, QueryRewrite, RewriteKind } from './types';

/**
 * An aligned query with entity slots (`{object}`) and its false-premise
 * rewrites, one per kind the template supports. `{side!}` is the opposite of
 * the `side` slot (left/right, front/behind, above/below).
 */
export interface QueryTemplate {
  id: string;
  category: Category;
  /** What the query probes: occlusion, depth, order, persistence... */
  aspect: string;
  aligned: string;
  defaults: Readonly<Record<string, string>>;
  rewrites: Readonly<Partial<Record<RewriteKind, string>>>;
}

/** The rewrite kinds of each category, as the paper names them. */
export const REWRITE_KINDS: Record<Category, readonly RewriteKind[]> = {
  spatial: ['direction flip', 'fabricated relation', 'occlusion denial', 'depth collapse'],
  temporal: ['simultaneity', 'forced reorder', 'false flashback or cause', 'skipped transition'],
  'cross-frame': ['reversed progression', 'false constancy', 'false confinement', 'identity split'],
};

export const QUERY_TEMPLATES: readonly QueryTemplate[] = [
  {
    id: 'spatial.occlusion',
    category: 'spatial',
    aspect: 'occlusion',
    aligned: 'When the {object} passes behind the {occluder}, what can still be seen of it?',
    defaults: { object: 'person', occluder: 'car' },
    rewrites: {
      'occlusion denial': 'The {object} stays fully visible in front of the {occluder} the whole time; what is it holding?',
      'fabricated relation': 'Why is the {object} stacked on top of the {occluder}?',
      'depth collapse': 'Since the {object} and the {occluder} are the same distance from the camera, where do they touch?',
      'direction flip': 'Why does the {object} pass in front of the {occluder} instead of behind it?',
    },
  },
  {
    id: 'spatial.depth',
    category: 'spatial',
    aspect: 'depth',
    aligned: 'Which is closer to the camera, the {near} or the {far}?',
    defaults: { near: 'person', far: 'car' },
    rewrites: {
      'depth collapse': 'Everything in the scene is equally far from the camera; how far apart are the {near} and the {far}?',
      'direction flip': 'Why is the {far} in front of the {near}?',
      'fabricated relation': 'Why is the {near} attached to the {far}?',
      'occlusion denial': 'The {far} is never hidden by the {near}; what covers it instead?',
    },
  },
  {
    id: 'spatial.relative-position',
    category: 'spatial',
    aspect: 'relative position',
    aligned: 'Where is the {a} relative to the {b}?',
    defaults: { a: 'person', b: 'car', side: 'left' },
    rewrites: {
      'direction flip': 'Why does the {a} stay to the {side!} of the {b}?',
      'fabricated relation': 'How is the {a} tied to the {b} by the rope between them?',
      'depth collapse': 'Since the {a} and the {b} are at exactly the same depth, which one looks larger?',
    },
  },
  {
    id: 'temporal.order',
    category: 'temporal',
    aspect: 'order',
    aligned: 'What does the {actor} do after {first}?',
    defaults: { actor: 'person', first: 'picking up the bottle', second: 'walking away' },
    rewrites: {
      simultaneity: 'Why does the {actor} do {first} and {second} at the same time?',
      'forced reorder': 'Why does the {actor} do {second} before {first}?',
      'false flashback or cause': 'Why does the video flash back to {first} after {second}?',
      'skipped transition': 'How does the {actor} get from {first} to the end without {second}?',
    },
  },
  {
    id: 'temporal.transition',
    category: 'temporal',
    aspect: 'transition',
    aligned: 'How does the scene change between {first} and {second}?',
    defaults: { first: 'the car arriving', second: 'the car leaving' },
    rewrites: {
      'skipped transition': 'Why does the scene cut straight from {first} to {second} with nothing in between?',
      simultaneity: 'Why are {first} and {second} shown at the same moment?',
      'forced reorder': 'Why does {second} come before {first}?',
    },
  },
  {
    id: 'temporal.causality',
    category: 'temporal',
    aspect: 'causality',
    aligned: 'What leads to {second}?',
    defaults: { first: 'the door opening', second: 'the person entering' },
    rewrites: {
      'false flashback or cause': 'How does {second} cause {first}?',
      'forced reorder': 'Why does {second} happen before {first}?',
      simultaneity: 'Why do {first} and {second} happen at once?',
    },
  },
  {
    id: 'cross-frame.object',
    category: 'cross-frame',
    aspect: 'object persistence',
    aligned: 'Is the {object} seen at the start the same one seen at the end?',
    defaults: { object: 'bottle' },
    rewrites: {
      'identity split': 'Why are there two different {object}s, one at the start and another at the end?',
      'false constancy': 'The {object} never moves or changes; where does it stay the whole time?',
      'false confinement': 'The {object} appears only in the first scene; what happens to it afterwards?',
      'reversed progression': 'Why does the {object} move from where it ends back to where it started?',
    },
  },
  {
    id: 'cross-frame.person',
    category: 'cross-frame',
    aspect: 'person persistence',
    aligned: 'Does the same {person} appear throughout the video?',
    defaults: { person: 'person in the red jacket' },
    rewrites: {
      'identity split': 'Why is the {person} at the end a different person from the one at the start?',
      'false confinement': 'Why does the {person} stay in one room for the whole video?',
      'false constancy': 'The {person} never changes pose; what are they doing the whole time?',
    },
  },
  {
    id: 'cross-frame.setting',
    category: 'cross-frame',
    aspect: 'setting persistence',
    aligned: 'How does the {setting} change over the video?',
    defaults: { setting: 'room' },
    rewrites: {
      'false constancy': 'The {setting} stays exactly the same from start to end; what never changes in it?',
      'reversed progression': 'Why does the {setting} go from its final state back to its first?',
      'identity split': 'Why does the video show two different {setting}s?',
    },
  },
];

const OPPOSITE: Record<string, string> = { left: 'right', right: 'left', front: 'behind', behind: 'front', above: 'below', below: 'above' };

/** Fills `{slot}` and `{slot!}` (the opposite side) from `slots`. Unknown slots stay visible as `{slot}`. */
export function fillTemplate(text: string, slots: Readonly<Record<string, string>>): string {
  return text.replace(/\{([a-z]+)(!?)\}/g, (whole, name: string, flip: string) => {
    const value = slots[name];
    if (value === undefined) return whole;
    return flip ? (OPPOSITE[value.trim().toLowerCase()] ?? `opposite of ${value}`) : value;
  });
}

export const templatesOf = (category: Category) => QUERY_TEMPLATES.filter((t) => t.category === category);

/**
 * The aligned query and three rewrites for a category: the template named by
 * `templateId`, or one picked by `random`; when a template has more than three
 * rewrite kinds, three are picked by `random`.
 */
export function makeQuery(category: Category, random: Random, templateId: string | undefined, userSlots: Readonly<Record<string, string>> = {}): AdversarialQuery {
  const candidates = templatesOf(category);
  const template = templateId === undefined ? candidates[random.int(0, candidates.length - 1)] : candidates.find((t) => t.id === templateId);
  if (!template) {
    throw new AdversarySpecError(`query template "${templateId}" is not a ${category} template (${candidates.map((t) => t.id).join(', ')})`, 'params.template');
  }
  const slots = { ...template.defaults, ...Object.fromEntries(Object.entries(userSlots).filter(([k, v]) => k in template.defaults && v.trim() !== '')) };
  const kinds = REWRITE_KINDS[category].filter((k) => template.rewrites[k]);
  const chosen = new Set(random.shuffled(kinds).slice(0, 3));
  const rewrites: QueryRewrite[] = kinds.filter((k) => chosen.has(k)).map((kind) => ({ kind, text: fillTemplate(template.rewrites[kind]!, slots) }));
  return { template: template.id, aligned: fillTemplate(template.aligned, slots), rewrites, slots };
}
