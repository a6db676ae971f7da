import type { Lang, SynonymGroup } from '../knowledge/types';
import { buildSynonyms, isStopword, normalize, stem, words, type SynonymMap } from '../nlp';

/**
 * The content terms of a question, the way the matcher sees words: normalized, the knowledge base's
 * synonyms replaced by their canonical word ("despacho" → "envio"), stop words out, stemmed; sorted and
 * unique, so word order and repetition do not split a group.
 */
export function gapTerms(synonyms: Readonly<Record<Lang, readonly SynonymGroup[]>>): (text: string, lang: Lang) => string[] {
  const maps = new Map<Lang, SynonymMap>();
  return (text, lang) => {
    let map = maps.get(lang);
    if (!map) maps.set(lang, (map = buildSynonyms(synonyms[lang] ?? [])));
    const content = words(map.apply(normalize(text))).filter((word) => !isStopword(word, lang));
    return [...new Set(content.map((word) => stem(word, lang)))].sort();
  };
}
