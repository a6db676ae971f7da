import Fuse from 'fuse.js';
import { LONGEST_REMEMBERED_WORD } from './normalize';

export interface Correction {
  from: string;
  to: string;
}

export interface TypoCorrector {
  /** The known word a typo stands for, or null when the word should be left as it is. */
  correct(word: string): string | null;
}

const MIN_LENGTH = 5;
const CACHE_LIMIT = 5_000;
const LONG_WORD = 9;

/**
 * Repairs typos against a small vocabulary (the words of one knowledge base), never against every
 * phrasing. A word is changed only when the difference looks like a slip of the fingers or of spelling:
 * a sound-alike consonant (b/v, s/z/c, g/j, y/i), a letter missing, doubled or swapped, a neighbouring
 * key in a longer word (see `typoCost`). That keeps most correct words the vocabulary lacks as they are ("premio"
 * is not a typo of "precio"); words sharing a stem with a known one are not typos either.
 *
 * Candidates one edit away come from a table of the vocabulary's words with one letter deleted, which
 * costs microseconds. Only long words (9+ letters, where two slips are allowed) ask fuse.js, over the
 * known words with the same first and last letters and a close length: a fuse.js search costs about
 * 1 µs per word searched, too slow to run over the whole vocabulary for every unknown word.
 */
export function buildTypoCorrector(
  vocabulary: ReadonlyMap<string, number>,
  isKnown: (word: string) => boolean,
): TypoCorrector {
  const oneDeleted = new Map<string, string[]>();
  const buckets = new Map<string, string[]>();
  const remember = (map: Map<string, string[]>, key: string, word: string) => {
    const list = map.get(key);
    if (!list) map.set(key, [word]);
    else if (list[list.length - 1] !== word) list.push(word);
  };
  for (const word of vocabulary.keys()) {
    if (word.length < MIN_LENGTH - 1 || /\d/.test(word)) continue;
    for (const key of withOneDeleted(word)) remember(oneDeleted, key, word);
    if (word.length >= LONG_WORD - 2) remember(buckets, bucketKey(word, word.length), word);
  }
  const searchers = new Map<string, Fuse<string>>();
  for (const [key, bucket] of buckets) searchers.set(key, new Fuse(bucket, { threshold: 0.4, ignoreLocation: true, isCaseSensitive: true }));
  const cache = new Map<string, string | null>();
  const frequency = (known: string) => vocabulary.get(known) ?? 0;

  function fuzzySearch(word: string, maxEdits: number): string[] {
    const found: string[] = [];
    for (let length = word.length - maxEdits; length <= word.length + maxEdits; length++) {
      const fuse = searchers.get(bucketKey(word, length));
      if (!fuse) continue;
      for (const { item } of fuse.search(word, { limit: 10 })) found.push(item);
    }
    return found;
  }

  function search(word: string): string | null {
    const allowed = word.length >= LONG_WORD ? 2 : 1;
    const candidates = new Set<string>();
    for (const key of withOneDeleted(word)) for (const known of oneDeleted.get(key) ?? []) candidates.add(known);
    if (candidates.size === 0 && allowed > 1) fuzzySearch(word, allowed).forEach((known) => candidates.add(known));
    const near: Array<{ item: string; cost: number }> = [];
    for (const item of candidates) {
      // Typos rarely change the first letter; and "fishy"/"fish", "quarterly"/"quarter" are different
      // words, not typos.
      if (item[0] !== word[0] || item.startsWith(word) || word.startsWith(item)) continue;
      const cost = typoCost(word, item);
      if (cost <= allowed) near.push({ item, cost });
    }
    near.sort((a, b) => a.cost - b.cost || frequency(b.item) - frequency(a.item));
    const [best, second] = near;
    if (!best) return null;
    // Two equally good repairs: guessing would be a coin toss.
    if (second && second.cost === best.cost && frequency(second.item) === frequency(best.item)) return null;
    return best.item;
  }

  return {
    correct(word) {
      if (word.length < MIN_LENGTH || vocabulary.has(word) || /\d/.test(word) || isKnown(word)) return null;
      const cached = cache.get(word);
      if (cached !== undefined) return cached;
      const result = search(word);
      if (word.length > LONGEST_REMEMBERED_WORD) return result;
      if (cache.size >= CACHE_LIMIT) cache.clear();
      cache.set(word, result);
      return result;
    },
  };
}

/** The word itself and every way of deleting one of its letters. */
function withOneDeleted(word: string): string[] {
  const variants = [word];
  for (let i = 0; i < word.length; i++) variants.push(word.slice(0, i) + word.slice(i + 1));
  return variants;
}

/**
 * Long words are searched among known words of the same first and last letter and a close length:
 * two slips in a long word rarely touch its ends, and the small buckets keep fuse.js fast.
 */
function bucketKey(word: string, length: number): string {
  return `${word[0]}${word[word.length - 1]}${length}`;
}

const KEYBOARD_ROWS = ['qwertyuiop', 'asdfghjkl', 'zxcvbnm'];
const ROW_SHIFT = [0, 0.25, 0.75];
// Consonants spelled alike in Spanish or English. Vowel swaps are left out on purpose: "hills"/"hells",
// "peso"/"piso" are different words far more often than typos.
const SOUND_ALIKE = ['bv', 'sz', 'sc', 'cz', 'ck', 'qk', 'gj', 'yi', 'mn'];

function keyPosition(letter: string): [number, number] | null {
  for (let row = 0; row < KEYBOARD_ROWS.length; row++) {
    const column = KEYBOARD_ROWS[row].indexOf(letter);
    if (column >= 0) return [row, column + ROW_SHIFT[row]];
  }
  return null;
}

const neighbours = new Set<string>();
for (const a of 'abcdefghijklmnopqrstuvwxyz') {
  for (const b of 'abcdefghijklmnopqrstuvwxyz') {
    const pa = keyPosition(a);
    const pb = keyPosition(b);
    if (a !== b && pa && pb && Math.abs(pa[0] - pb[0]) <= 1 && Math.abs(pa[1] - pb[1]) <= 1) neighbours.add(a + b);
  }
}
const soundAlike = new Set(SOUND_ALIKE.flatMap((pair) => [pair, pair[1] + pair[0]]));
const NO_PAIRS = new Set<string>();
const LONG_ENOUGH_FOR_KEY_SLIPS = 7;

/**
 * Edit distance counting only edits that look like slips: swapping two adjacent letters, leaving a
 * letter out, a sound-alike letter instead of another, a neighbouring key instead of the right one (in
 * words of 7+ letters), or an extra letter next to the same or a neighbouring key. Each costs 1; any
 * other edit costs 2.
 */
export function typoCost(typed: string, known: string): number {
  const rows = typed.length + 1;
  const cols = known.length + 1;
  // In a short word a neighbouring key as often makes another word ("tarea"/"tarda") as a typo.
  const keySlips = typed.length >= LONG_ENOUGH_FOR_KEY_SLIPS ? neighbours : NO_PAIRS;
  const d: number[] = new Array(rows * cols).fill(0);
  for (let i = 0; i < rows; i++) d[i * cols] = i * 2;
  for (let j = 0; j < cols; j++) d[j] = j;
  for (let i = 1; i < rows; i++) {
    const a = typed[i - 1];
    const extra = isSlip(a, typed[i - 2]) || isSlip(a, typed[i]) ? 1 : 2;
    for (let j = 1; j < cols; j++) {
      const b = known[j - 1];
      const substitution = a === b ? 0 : soundAlike.has(a + b) || keySlips.has(a + b) ? 1 : 2;
      let cost = Math.min(d[(i - 1) * cols + j] + extra, d[i * cols + j - 1] + 1, d[(i - 1) * cols + j - 1] + substitution);
      if (i > 1 && j > 1 && a === known[j - 2] && typed[i - 2] === b) cost = Math.min(cost, d[(i - 2) * cols + j - 2] + 1);
      d[i * cols + j] = cost;
    }
  }
  return d[rows * cols - 1];
}

function isSlip(letter: string, beside: string | undefined): boolean {
  return beside !== undefined && (letter === beside || neighbours.has(letter + beside));
}
