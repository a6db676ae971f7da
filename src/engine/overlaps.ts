import type { MatchingConfig } from '../config';
import type { Lang } from '../knowledge';
import type { Engine } from './engine';

export interface Overlap {
  lang: Lang;
  /** The entry whose phrasing is confused. */
  id: string;
  /** The entry it is confused with. */
  with: string;
  phrasing: string;
  /** Confidence of the own entry and of the rival for that phrasing. */
  own: number;
  rival: number;
}

/**
 * Phrasings that the bot would not answer with their own entry without doubt: either another entry
 * wins, or one comes close enough to trigger a "did you mean…?". Editors fix these by rewording.
 */
export function findOverlaps(engine: Engine, thresholds: MatchingConfig): Overlap[] {
  const overlaps: Overlap[] = [];
  for (const entry of engine.knowledge.entries) {
    for (const phrasing of [entry.question, ...entry.phrasings]) {
      const { candidates } = engine.respond(phrasing, { lang: entry.lang, detect: false });
      const own = candidates.find((c) => c.id === entry.id)?.confidence ?? 0;
      const rival = candidates.find((c) => c.id !== entry.id);
      if (!rival) continue;
      const confused = rival.confidence > own || (rival.confidence >= thresholds.clarifyThreshold && own - rival.confidence <= thresholds.clarifyMargin);
      if (confused) overlaps.push({ lang: entry.lang, id: entry.id, with: rival.id, phrasing, own, rival: rival.confidence });
    }
  }
  return overlaps;
}
