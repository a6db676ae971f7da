export { BACKUP_DIR, BACKUPS_KEPT, KnowledgeRejectedError, knowledgeEditor, type EditResult, type FaqEdit, type KnowledgeEditor, type PhrasingsEdit, type WrittenFile } from './edit-files';
export { loadKnowledge, type KnowledgeDirs } from './load';
export { parseEntries } from './parse-entries';
export { parseSynonyms } from './parse-synonyms';
export { findPlaceholders, renderPlaceholders, type Placeholder } from './placeholders';
export { SHOP_COUNTRIES, SHOP_VALUES_FILE, type ShopCountry, type ShopValue, type ShopValues } from './shop-values';
export { watchKnowledge } from './watch';
export { KnowledgeEditError, addPhrasings, appendFaq, hasBrokenCharacter, type NewFaq } from './write-entries';
export * from './types';
