export { loadKnowledge, type KnowledgeDirs } from './load';
export { parseEntries } from './parse-entries';
export { parseSynonyms } from './parse-synonyms';
export { findPlaceholders, stripPlaceholders } from './placeholders';
export { watchKnowledge } from './watch';
export * from './types';
