import type { Lang, SynonymGroup } from '../knowledge/types';
import { buildSynonyms, isStopword, normalize, stem, words } from '../nlp';

/**
 * Words that frame a request rather than name its topic ("¿hacen factura?" = "necesito factura"):
 * left out of grouping only; question words stay, because "cuánto" and "dónde" ask different things.
 */
const FRAMING: Record<Lang, readonly string[]> = {
  es: ['hacer', 'hacen', 'hace', 'tienen', 'tiene', 'tener', 'necesito', 'necesitar', 'quiero', 'quisiera', 'querer', 'puedo', 'pueden', 'poder', 'saber', 'favor', 'hola', 'gracias', 'ustedes', 'alguien', 'ayuda', 'ayudar'],
  en: ['do', 'does', 'have', 'has', 'need', 'want', 'would', 'like', 'can', 'could', 'know', 'please', 'hello', 'hi', 'thanks', 'help', 'get'],
};

/**
 * The content terms of a question, close to how the matcher sees words: normalized, the knowledge
 * base's synonyms replaced by their canonical word (also in plural: "despachos" → "envio"), stop and
 * framing words out, stemmed; sorted and unique, so word order and repetition do not split a group.
 */
export function gapTerms(synonyms: Readonly<Record<Lang, readonly SynonymGroup[]>>): (text: string, lang: Lang) => string[] {
  const pipelines = new Map<Lang, (text: string) => string[]>();
  const build = (lang: Lang) => {
    const groups = synonyms[lang] ?? [];
    const phrases = buildSynonyms(groups);
    const framing = new Set(FRAMING[lang].map((word) => stem(word, lang)));
    // One-word variants by stem, so inflected forms reach the canonical word too.
    const canonicalStem = new Map<string, string>();
    for (const group of groups) {
      const canonical = stem(normalize(group[0] ?? ''), lang);
      for (const variant of group.slice(1)) {
        const variantWords = words(normalize(variant));
        if (variantWords.length === 1) canonicalStem.set(stem(variantWords[0]!, lang), canonical);
      }
    }
    return (text: string) => {
      const stems = words(phrases.apply(normalize(text)))
        .filter((word) => !isStopword(word, lang))
        .map((word) => stem(word, lang))
        .map((s) => canonicalStem.get(s) ?? s)
        .filter((s) => !framing.has(s));
      return [...new Set(stems)].sort();
    };
  };
  return (text, lang) => {
    let pipeline = pipelines.get(lang);
    if (!pipeline) pipelines.set(lang, (pipeline = build(lang)));
    return pipeline(text);
  };
}
