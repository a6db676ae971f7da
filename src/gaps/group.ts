import type { Lang } from '../knowledge/types';

/** Why the bot's reply was not good enough (src/store/knowledge-gaps.ts decides). */
export type GapReason = 'thumbs_down' | 'fallback' | 'clarify_unpicked' | 'low_confidence';

export interface GapInput {
  id: number;
  text: string;
  lang: Lang;
  askedAt: string;
  reason: GapReason;
}

export interface GapExample {
  text: string;
  /** How many questions were worded like this (same normalized text). */
  count: number;
}

export interface GapGroup {
  /** `lang:terms of the group's first wording`: stable while that wording is in the group. */
  id: string;
  lang: Lang;
  /** The content stems the group is about. */
  terms: string[];
  /** Term keys of every question in the group: what "mark handled" stores. */
  keys: string[];
  count: number;
  reasons: Partial<Record<GapReason, number>>;
  /** Distinct wordings, most asked first. */
  examples: GapExample[];
  lastAskedAt: string;
}

export interface GroupOptions {
  /** Content terms of a question: normalized, synonyms applied, stop words out, stemmed, sorted, unique. */
  termsOf: (text: string, lang: Lang) => string[];
  /** "lang term key" → when it was marked handled; its questions asked until then are left out. */
  handled?: ReadonlyMap<string, string>;
  /** Two wordings share a group when their terms overlap at least this much (Jaccard). Default 0.5. */
  similarity?: number;
  /** Examples kept per group. Default 8. */
  examples?: number;
}

interface Bucket {
  lang: Lang;
  key: string;
  terms: string[];
  questions: Array<GapInput & { wording: string }>;
  lastAskedAt: string;
}

/**
 * Groups questions by meaning: questions with the same content stems form a bucket ("¿cuánto cuesta el
 * envío?" = "costo de envio"); buckets, biggest first, join the first group of their language whose
 * terms overlap enough, or start one. Biggest groups first. Pure: the same input gives the same groups.
 */
export function groupGaps(questions: readonly GapInput[], options: GroupOptions): GapGroup[] {
  const similarity = options.similarity ?? 0.5;
  const buckets = new Map<string, Bucket>();
  for (const question of questions) {
    const terms = options.termsOf(question.text, question.lang);
    if (terms.length === 0) continue; // "hola", "?": nothing an FAQ could answer
    const key = terms.join(' ');
    const handledAt = options.handled?.get(`${question.lang} ${key}`);
    if (handledAt !== undefined && question.askedAt <= handledAt) continue;
    const bucketKey = `${question.lang} ${key}`;
    let bucket = buckets.get(bucketKey);
    if (!bucket) {
      bucket = { lang: question.lang, key, terms, questions: [], lastAskedAt: question.askedAt };
      buckets.set(bucketKey, bucket);
    }
    bucket.questions.push({ ...question, wording: wordingOf(question.text) });
    if (question.askedAt > bucket.lastAskedAt) bucket.lastAskedAt = question.askedAt;
  }

  const clusters: Array<{ seed: Bucket; members: Bucket[] }> = [];
  // Only groups sharing a term with the bucket can overlap: count shared terms through an index from
  // term to groups rather than comparing with every group (5,000 questions: a second → tens of ms).
  const groupsWithTerm = new Map<string, number[]>();
  const shared = new Map<number, number>();
  for (const bucket of [...buckets.values()].sort(biggestFirst)) {
    shared.clear();
    for (const term of bucket.terms) {
      for (const index of groupsWithTerm.get(`${bucket.lang} ${term}`) ?? []) shared.set(index, (shared.get(index) ?? 0) + 1);
    }
    // The first group (lowest index) whose terms overlap enough (Jaccard); with similarity 0, any of the language.
    let home = similarity <= 0 ? clusters.findIndex((c) => c.seed.lang === bucket.lang) : -1;
    for (const [index, count] of shared) {
      if ((home === -1 || index < home) && count / (clusters[index]!.seed.terms.length + bucket.terms.length - count) >= similarity) home = index;
    }
    if (home !== -1) {
      clusters[home]!.members.push(bucket);
      continue;
    }
    for (const term of bucket.terms) {
      const key = `${bucket.lang} ${term}`;
      const list = groupsWithTerm.get(key);
      if (list) list.push(clusters.length);
      else groupsWithTerm.set(key, [clusters.length]);
    }
    clusters.push({ seed: bucket, members: [bucket] });
  }

  return clusters
    .map(({ seed, members }) => toGroup(seed, members, options.examples ?? 8))
    .sort((a, b) => b.count - a.count || compareDesc(a.lastAskedAt, b.lastAskedAt) || a.id.localeCompare(b.id));
}

function toGroup(seed: Bucket, members: Bucket[], maxExamples: number): GapGroup {
  const questions = members.flatMap((m) => m.questions);
  const reasons: Partial<Record<GapReason, number>> = {};
  const wordings = new Map<string, { text: string; count: number; last: string }>();
  for (const q of questions) {
    reasons[q.reason] = (reasons[q.reason] ?? 0) + 1;
    const seen = wordings.get(q.wording);
    // The latest way it was typed stands for the wording.
    if (!seen) wordings.set(q.wording, { text: q.text, count: 1, last: q.askedAt });
    else {
      seen.count += 1;
      if (q.askedAt > seen.last) Object.assign(seen, { text: q.text, last: q.askedAt });
    }
  }
  const examples = [...wordings.values()]
    .sort((a, b) => b.count - a.count || compareDesc(a.last, b.last) || a.text.localeCompare(b.text))
    .slice(0, maxExamples)
    .map(({ text, count }) => ({ text, count }));
  return {
    id: `${seed.lang}:${seed.key}`,
    lang: seed.lang,
    terms: seed.terms,
    keys: members.map((m) => m.key),
    count: questions.length,
    reasons,
    examples,
    lastAskedAt: members.map((m) => m.lastAskedAt).sort().at(-1)!,
  };
}

function biggestFirst(a: Bucket, b: Bucket): number {
  return b.questions.length - a.questions.length || compareDesc(a.lastAskedAt, b.lastAskedAt) || a.key.localeCompare(b.key);
}

function compareDesc(a: string, b: string): number {
  return a < b ? 1 : a > b ? -1 : 0;
}

/** Same wording whatever the case, accents or punctuation. */
function wordingOf(text: string): string {
  return text.toLowerCase().normalize('NFD').replace(/\p{M}/gu, '').replace(/[^\p{L}\p{N}]+/gu, ' ').trim();
}
