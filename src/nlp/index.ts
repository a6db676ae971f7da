export { normalize, words, LONGEST_REMEMBERED_WORD } from './normalize';
export { detectLanguage, type DetectedLanguage } from './language';
export { stem, isStopword } from './stem';
export { buildSynonyms, type SynonymMap } from './synonyms';
export { buildTypoCorrector, typoCost, type Correction, type TypoCorrector } from './typos';
export { buildAnalyzer, type Analysis, type Analyzer } from './analyze';
