/** How the console's search compares texts: the same in both stores and in the console's preview. */

const ACCENTED = 'áéíóúüñàèìòùâêîôûçäëïöãõ';
const PLAIN = 'aeiouunaeiouaeioucaeioao';
/** The letters the search folds, for a database that folds them itself (PostgreSQL's translate()). */
export const SEARCH_FOLDS = { from: ACCENTED + ACCENTED.toUpperCase(), to: PLAIN + PLAIN.toUpperCase() };

/**
 * Lower case without the accents of Spanish and Portuguese: "Núñez" and "nunez" read alike. Letter for
 * letter, so a position in the folded text is one in the text (as typed, which is NFC).
 */
export function foldForSearch(text: string): string {
  // Composed first when a separate accent mark is there (text pasted from macOS or a PDF); rare, and NFC is costly.
  return (/[\u0300-\u036f]/.test(text) ? text.normalize('NFC') : text).toLowerCase().replace(/[^\x00-\x7f]/g, (letter) => PLAIN[ACCENTED.indexOf(letter)] ?? letter);
}
