import type { Engine } from '../engine';
import type { Lang } from '../knowledge/types';
import { groupGaps, type GapGroup, type GapInput } from './group';
import { gapTerms } from './terms';

export { groupGaps, type GapExample, type GapGroup, type GapInput, type GapReason, type GroupOptions } from './group';
export { gapTerms } from './terms';

export interface ClosestFaq {
  id: string;
  question: string;
  confidence: number;
  /** Where the FAQ is written, `knowledge/es/envios.md:12`-style, relative to the knowledge folder. */
  file: string;
  line: number;
  /** The bot now answers the group's wording with this FAQ (an edit since): mark the group handled. Never for a group with a thumb down. */
  answeredNow: boolean;
}

export interface KnowledgeGap extends GapGroup {
  /** The FAQ the live bot ranks first for the group's most asked wording (null: none is near). */
  closest: ClosestFaq | null;
}

/**
 * Unanswered questions grouped by meaning with the FAQ that came closest, biggest groups first: what
 * `atento kb gaps` prints and the knowledge page lists. The closest FAQ is asked of the live engine,
 * so after an edit it shows the FAQ that now answers.
 */
/** `limit`: only the biggest groups, cut before the closest FAQ (a match per group) is looked up. */
export function knowledgeGaps(questions: readonly GapInput[], engine: Engine, options: { handled?: ReadonlyMap<string, string>; relativeTo?: (file: string) => string; limit?: number } = {}): KnowledgeGap[] {
  const groups = groupGaps(questions, { termsOf: gapTerms(engine.knowledge.synonyms), handled: options.handled }).slice(0, options.limit);
  const relative = options.relativeTo ?? ((file: string) => file);
  return groups.map((group) => {
    const closest = closestFaq(engine, group.examples[0]!.text, group.lang, relative);
    // A thumb down was given to an answer: the bot answering it again is not a fix.
    return { ...group, closest: closest && group.reasons.thumbs_down ? { ...closest, answeredNow: false } : closest };
  });
}

function closestFaq(engine: Engine, text: string, lang: Lang, relative: (file: string) => string): ClosestFaq | null {
  const reply = engine.respond(text, { lang, detect: false });
  // A candidate sharing no word with the question is not close, only first.
  for (const candidate of reply.candidates.filter((c) => c.confidence > 0)) {
    const entry = engine.entry(candidate.id, lang);
    if (entry?.kind !== 'faq') continue;
    const answeredNow = (reply.action === 'answer' || reply.action === 'escalate') && reply.id === entry.id;
    // The question as shoppers see it ("¿Es seguro comprar en Tienda Demo?"), not its raw "{shop}".
    const question = engine.label(entry.id, lang) ?? entry.question;
    return { id: entry.id, question, confidence: candidate.confidence, file: relative(entry.source.file), line: entry.source.line, answeredNow };
  }
  return null;
}
