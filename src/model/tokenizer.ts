import { UnknownWordError } from './errors';

/** Padding fills the text slots after a sequence's end; <eos> ends every answer. */
export const PAD = '<pad>';
export const EOS = '<eos>';

/** What tokenizer.json holds. */
export interface TokenizerJson {
  kind: 'word';
  /** Every word by id; ids 0 and 1 are <pad> and <eos>. */
  words: string[];
}

/**
 * A word-level tokenizer: lowercase words split on spaces, "?" a word of its
 * own. A word outside the vocabulary is an error that names it, never a
 * silent <unk>: the built-in model only knows its world's words.
 */
export class WordTokenizer {
  readonly words: readonly string[];
  private readonly ids: Map<string, number>;

  constructor(words: readonly string[]) {
    const all = [PAD, EOS, ...words.filter((w) => w !== PAD && w !== EOS)];
    this.ids = new Map(all.map((w, i) => [w, i]));
    if (this.ids.size !== all.length) throw new TypeError('tokenizer words must be unique');
    for (const w of all) if (!w || /\s/.test(w)) throw new TypeError(`tokenizer word ${JSON.stringify(w)} is empty or has a space`);
    this.words = all;
  }

  get size() {
    return this.words.length;
  }
  get padId() {
    return 0;
  }
  get eosId() {
    return 1;
  }

  /** The words of a text: lowercased, split on whitespace, "?" split off. */
  static split(text: string): string[] {
    return text.toLowerCase().replace(/\?/g, ' ? ').split(/\s+/).filter(Boolean);
  }

  /** Ids of a text's words; throws UnknownWordError naming the first unknown one. */
  encode(text: string): number[] {
    return WordTokenizer.split(text).map((w) => {
      const id = this.ids.get(w);
      if (id === undefined || id < 2) throw new UnknownWordError(w, text);
      return id;
    });
  }

  /** Words of ids joined by spaces, stopping at <eos> and skipping padding. */
  decode(ids: Iterable<number>): string {
    const out: string[] = [];
    for (const id of ids) {
      if (id === this.eosId) break;
      if (id !== this.padId) out.push(this.words[id] ?? `<${id}>`);
    }
    return out.join(' ');
  }

  toJSON(): TokenizerJson {
    return { kind: 'word', words: [...this.words] };
  }

  /** Reads tokenizer.json; throws TypeError naming what is wrong. */
  static fromJSON(json: unknown): WordTokenizer {
    const j = json as Partial<TokenizerJson>;
    if (!j || j.kind !== 'word' || !Array.isArray(j.words)) throw new TypeError('expected {"kind": "word", "words": [...]}');
    if (j.words[0] !== PAD || j.words[1] !== EOS) throw new TypeError(`words[0] and words[1] must be ${PAD} and ${EOS}`);
    return new WordTokenizer(j.words.slice(2));
  }
}
