import type { MatchingConfig } from '../config';
import { decide, MESSAGES, type Decision } from '../dialogue';
import { renderPlaceholders, LANGUAGES, type Entry, type KnowledgeBase, type Lang } from '../knowledge';
import { buildMatcher, type Matcher, type MatchResult } from '../matcher';
import { detectLanguage } from '../nlp';
import type { Choice, Reply, RespondContext } from './types';

export interface EngineOptions {
  matching: MatchingConfig;
  shopName: string;
  defaultLanguage: Lang;
  /** What `{hours}` in an answer becomes, per language (the configured business hours, see engineOptions). */
  openingHours?: Partial<Record<Lang, string>>;
}

export interface CannedAnswer {
  id: string;
  question: string;
  answer: string;
}

export interface Engine {
  /** The knowledge base version the engine was built from. */
  readonly version: string;
  readonly knowledge: KnowledgeBase;
  respond(text: string, context?: RespondContext): Reply;
  /** The reply for an entry the shopper picked (a clarify option or a related suggestion). */
  replyFor(id: string, lang: Lang): Reply | null;
  /** Questions to suggest when a chat opens: FAQs tagged "popular" first, then in file order. */
  suggestions(lang: Lang, count?: number): Choice[];
  /** FAQ answers for agents to insert and edit, best match first. */
  search(query: string, lang: Lang, limit?: number): CannedAnswer[];
  entry(id: string, lang: Lang): Entry | undefined;
  /** An entry's main question as shoppers see it (shop name filled in), for buttons and transcripts. */
  label(id: string, lang: Lang): string | undefined;
}

const CANDIDATES_SHOWN = 5;
const POPULAR_TAG = 'popular';
const SWITCH_LANGUAGE_CONFIDENCE = 0.6;

/** Builds one matcher per language, so a Spanish question can never get an English answer. */
export function createEngine(knowledge: KnowledgeBase, options: EngineOptions): Engine {
  const byLang = new Map<Lang, Map<string, Entry>>();
  const matchers = new Map<Lang, Matcher>();
  for (const lang of LANGUAGES) {
    const entries = knowledge.entries.filter((entry) => entry.lang === lang);
    if (entries.length === 0) continue;
    byLang.set(lang, new Map(entries.map((entry) => [entry.id, entry])));
    const examples = entries.flatMap((entry) => [entry.question, ...entry.phrasings].map((text) => ({ text, label: entry.id })));
    matchers.set(lang, buildMatcher(examples, { lang, synonyms: knowledge.synonyms[lang] }));
  }

  const entry = (id: string, lang: Lang) => byLang.get(lang)?.get(id);
  // Texts come only from entries, which do not change while the engine lives: each is rendered once.
  const rendered: Record<Lang, Map<string, string>> = { es: new Map(), en: new Map() };
  const render = (markdown: string, lang: Lang) => {
    let text = rendered[lang].get(markdown);
    if (text === undefined) {
      text = renderPlaceholders(markdown, knowledge.values[lang]).replaceAll('{shop}', options.shopName).replaceAll('{hours}', options.openingHours?.[lang] ?? '');
      rendered[lang].set(markdown, text);
    }
    return text;
  };
  const choice = (item: Entry): Choice => ({ id: item.id, label: render(item.question, item.lang) });
  const relatedOf = (item: Entry) =>
    item.related.map((id) => entry(id, item.lang)).filter((e): e is Entry => e !== undefined).map(choice);

  function chooseLanguage(text: string, { lang: wanted, detect = true }: RespondContext): Reply['explanation']['language'] {
    if (!detect && wanted && matchers.has(wanted)) return { detected: null, used: wanted };
    const detection = detectLanguage(text);
    const detected = detection.lang;
    // One foreign word ("tracking") should not switch a Spanish conversation to English.
    const convincing = detected !== null && (wanted === undefined || detection.confidence >= SWITCH_LANGUAGE_CONFIDENCE);
    const preferred = [convincing ? detected : null, wanted, options.defaultLanguage].find((lang): lang is Lang => lang != null && matchers.has(lang));
    return { detected, used: preferred ?? options.defaultLanguage };
  }

  function respondIn(text: string, language: Reply['explanation']['language']): Reply {
    const matcher = matchers.get(language.used);
    if (!matcher) return toReply({ action: 'fallback', entry: null, confidence: 0, options: [], rule: 'nothing-close' }, language.used, null, language);
    const match = matcher.rank(text, CANDIDATES_SHOWN * 2);
    const decision = decide(match.candidates, (id) => entry(id, language.used), options.matching);
    return toReply(decision, language.used, match, language);
  }

  function toReply(decision: Decision, lang: Lang, match: MatchResult | null, language: Reply['explanation']['language']): Reply {
    const messages = MESSAGES[lang];
    const chosen = decision.entry;
    let text = messages.fallback;
    if (decision.action === 'clarify') text = decision.options.length > 1 ? messages.clarify : messages.clarifyOne;
    else if (chosen && decision.action !== 'fallback') text = render(chosen.answer, chosen.lang);
    return {
      action: decision.action,
      lang,
      id: chosen?.id ?? null,
      kind: chosen?.kind ?? null,
      confidence: decision.confidence,
      text,
      options: decision.options.map(choice),
      related: decision.action === 'answer' && chosen ? relatedOf(chosen) : [],
      reason: decision.action === 'escalate' ? chosen?.id ?? null : null,
      candidates: match?.candidates.slice(0, CANDIDATES_SHOWN) ?? [],
      explanation: {
        normalized: match?.normalized ?? '',
        corrections: match?.corrections ?? [],
        unknownWords: match?.unknownWords ?? [],
        rule: decision.rule,
        language,
      },
    };
  }

  return {
    version: knowledge.version,
    knowledge,
    entry,
    label(id, lang) {
      const found = entry(id, lang);
      return found && render(found.question, lang);
    },
    respond(text, context = {}) {
      const language = chooseLanguage(text, context);
      const reply = respondIn(text, language);
      // "hola" or "gracias" in an English chat is too short to switch languages, yet Spanish understands it:
      // small talk understood there is answered here, in the chat's language (a FAQ word is not: "pago").
      const other = language.detected;
      if (reply.action !== 'fallback' || other === null || other === language.used || !matchers.has(other)) return reply;
      const retried = respondIn(text, { detected: other, used: other });
      const here = retried.action === 'answer' && retried.kind === 'intent' && retried.id ? entry(retried.id, language.used) : undefined;
      if (!here) return reply;
      return toReply({ action: 'answer', entry: here, confidence: retried.confidence, options: [], rule: retried.explanation.rule ?? 'confident' }, language.used, null, language);
    },
    replyFor(id, lang) {
      const chosen = entry(id, lang);
      if (!chosen) return null;
      const decision: Decision = { action: chosen.escalate ? 'escalate' : 'answer', entry: chosen, confidence: 1, options: [], rule: 'picked' };
      return toReply(decision, lang, null, { detected: null, used: lang });
    },
    suggestions(lang, count = 3) {
      const faqs = [...(byLang.get(lang)?.values() ?? [])].filter((e) => e.kind === 'faq' && !e.escalate);
      const popular = faqs.filter((e) => e.tags.includes(POPULAR_TAG));
      return [...new Set([...popular, ...faqs])].slice(0, count).map(choice);
    },
    search(query, lang, limit = 5) {
      const matcher = matchers.get(lang);
      if (!matcher || !query.trim()) return [];
      return matcher
        .rank(query, limit * 3)
        .candidates.map((candidate) => entry(candidate.id, lang))
        .filter((e): e is Entry => e !== undefined && e.kind === 'faq')
        .slice(0, limit)
        .map((e) => ({ id: e.id, question: e.question, answer: render(e.answer, lang) }));
    },
  };
}
