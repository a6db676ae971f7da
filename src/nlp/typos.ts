import Fuse from 'fuse.js';

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

/**
 * Repairs typos against a small vocabulary (the words of one knowledge base), never against every
 * phrasing. fuse.js proposes near words; a word is changed only when the difference looks like a slip
 * of the fingers or of spelling: a neighbouring key, a sound-alike letter (b/v, s/z/c, g/j, y/i), a
 * letter missing, doubled or swapped. That keeps correct words the vocabulary lacks ("premio" is not a
 * typo of "precio") as they are. Words sharing a stem with a known one are not typos either.
 */
export function buildTypoCorrector(
  vocabulary: ReadonlyMap<string, number>,
  isKnown: (word: string) => boolean,
): TypoCorrector {
  const byFirstLetter = new Map<string, string[]>();
  for (const word of vocabulary.keys()) {
    if (word.length < MIN_LENGTH - 1 || /\d/.test(word)) continue;
    const bucket = byFirstLetter.get(word[0]);
    if (bucket) bucket.push(word);
    else byFirstLetter.set(word[0], [word]);
  }
  // Built on first use: most first letters never see a typo.
  const searchers = new Map<string, Fuse<string>>();
  const cache = new Map<string, string | null>();

  function search(word: string): string | null {
    // Typos rarely change the first letter, and keeping it narrows the search a lot.
    const bucket = byFirstLetter.get(word[0]);
    if (!bucket) return null;
    let fuse = searchers.get(word[0]);
    if (!fuse) {
      fuse = new Fuse(bucket, { threshold: 0.4, ignoreLocation: true, includeScore: true, isCaseSensitive: true });
      searchers.set(word[0], fuse);
    }
    const allowed = word.length >= 8 ? 2 : 1;
    const frequency = (known: string) => vocabulary.get(known) ?? 0;
    const near = fuse
      .search(word, { limit: 20 })
      .map(({ item }) => ({ item, cost: Math.abs(item.length - word.length) > allowed ? Infinity : typoCost(word, item) }))
      .filter(({ cost }) => cost <= allowed)
      .sort((a, b) => a.cost - b.cost || frequency(b.item) - frequency(a.item));
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
      if (cache.size >= CACHE_LIMIT) cache.clear();
      cache.set(word, result);
      return result;
    },
  };
}

const KEYBOARD_ROWS = ['qwertyuiop', 'asdfghjkln', 'zxcvbnm'];
const ROW_SHIFT = [0, 0.25, 0.75];
const SOUND_ALIKE = ['bv', 'sz', 'sc', 'cz', 'ck', 'qk', 'gj', 'yi', 'ie', 'ou', 'ao', 'ea', 'mn', 'hj'];

function keyPosition(letter: string): [number, number] | null {
  for (let row = 0; row < KEYBOARD_ROWS.length; row++) {
    const column = KEYBOARD_ROWS[row].indexOf(letter);
    if (column >= 0) return [row, column + ROW_SHIFT[row]];
  }
  return null;
}

const plausible = new Set<string>();
for (const a of 'abcdefghijklmnopqrstuvwxyz') {
  for (const b of 'abcdefghijklmnopqrstuvwxyz') {
    const pa = keyPosition(a);
    const pb = keyPosition(b);
    if (a !== b && pa && pb && Math.abs(pa[0] - pb[0]) <= 1 && Math.abs(pa[1] - pb[1]) <= 1) plausible.add(a + b);
  }
}
for (const pair of SOUND_ALIKE) {
  plausible.add(pair);
  plausible.add(pair[1] + pair[0]);
}

/**
 * Edit distance where inserting, deleting or swapping adjacent letters costs 1, replacing a letter by a
 * neighbouring key or a sound-alike costs 1, and any other replacement costs 2 (unlikely as a typo).
 */
export function typoCost(typed: string, known: string): number {
  const rows = typed.length + 1;
  const cols = known.length + 1;
  const d: number[] = new Array(rows * cols).fill(0);
  for (let i = 0; i < rows; i++) d[i * cols] = i;
  for (let j = 0; j < cols; j++) d[j] = j;
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const a = typed[i - 1];
      const b = known[j - 1];
      const substitution = a === b ? 0 : plausible.has(a + b) ? 1 : 2;
      let cost = Math.min(d[(i - 1) * cols + j] + 1, d[i * cols + j - 1] + 1, d[(i - 1) * cols + j - 1] + substitution);
      if (i > 1 && j > 1 && a === known[j - 2] && typed[i - 2] === b) cost = Math.min(cost, d[(i - 2) * cols + j - 2] + 1);
      d[i * cols + j] = cost;
    }
  }
  return d[rows * cols - 1];
}
