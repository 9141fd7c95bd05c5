/** What the built-in model can read: which words of a text it does not know, and a few it does, for the message. */
import { WordTokenizer } from '../../model';

/** The words of `text` (split as the tokenizer splits) that are not in `vocabulary`, each once, in order. */
export function unknownWords(text: string, vocabulary: readonly string[]): string[] {
  const known = new Set(vocabulary);
  return [...new Set(WordTokenizer.split(text).filter((w) => !known.has(w)))];
}

/** A short sample of the vocabulary to show beside an unknown-word error: colours and shapes first, then others. */
export function someKnownWords(vocabulary: readonly string[], count = 12): string[] {
  const first = ['red', 'green', 'blue', 'circle', 'square', 'triangle', 'left', 'right', 'first', 'before', 'after', 'same'];
  const picked = first.filter((w) => vocabulary.includes(w));
  for (const w of vocabulary) if (picked.length < count && !picked.includes(w) && w !== '?') picked.push(w);
  return picked.slice(0, count);
}
