import type { Lang, Problem, SourceRef } from './types';

/**
 * What the loader and the knowledge page's edits tell an editor, in each language: the CLI and the logs
 * print English, the knowledge page Spanish. A problem keeps its code and values, so it can be told again
 * in another language after it crossed the engine thread or was rewritten with relative file names.
 */

const say = <Values>(en: (values: Values) => string, es: (values: Values) => string) => ({ en, es });

const TEXTS = {
  folder_missing: say<Record<string, never>>(
    () => 'folder not found: create it or point the configuration at the right folder',
    () => 'no existe la carpeta: créala o indica la carpeta correcta en la configuración',
  ),
  not_utf8: say<Record<string, never>>(
    () => 'not UTF-8 text (a binary file or another encoding): save it as UTF-8 markdown, or remove it',
    () => 'no es texto UTF-8 (un archivo binario u otra codificación): guárdalo como markdown UTF-8 o bórralo',
  ),
  unreadable: say<{ code: string }>(
    ({ code }) => `cannot read the file (${code}): check that it exists and is readable`,
    ({ code }) => `no se puede leer el archivo (${code}): revisa que exista y se pueda leer`,
  ),
  no_entries: say<Record<string, never>>(
    () => 'no entries found: each entry starts with a line "## Question" (see knowledge/README.md)',
    () => 'no tiene entradas: cada entrada empieza con una línea "## Pregunta" (ver knowledge/README.md)',
  ),
  answer_too_long: say<{ entry: string; length: number; max: number }>(
    ({ entry, length, max }) => `the answer of "${entry}" has ${length} characters, more than ${max}: shorten it or link to a page with the details`,
    ({ entry, length, max }) => `la respuesta de "${entry}" tiene ${length} caracteres, más de ${max}: acórtala o enlaza a una página con los detalles`,
  ),
  empty_heading: say<Record<string, never>>(
    () => 'empty "## " heading: write the main question after "## "',
    () => 'título "## " vacío: escribe la pregunta principal después de "## "',
  ),
  unknown_section: say<{ section: string }>(
    ({ section }) => `unknown section "${section}": use "### Phrasings" (or "### Frases") and "### Answer" (or "### Respuesta")`,
    ({ section }) => `sección desconocida "${section}": usa "### Frases" (o "### Phrasings") y "### Respuesta" (o "### Answer")`,
  ),
  phrasing_not_listed: say<Record<string, never>>(
    () => 'a phrasing must be a list item: start the line with "- "',
    () => 'cada frase va en una lista: empieza la línea con "- "',
  ),
  field_expected: say<Record<string, never>>(
    () => 'expected a field such as "id: shipping-time", or "### Phrasings" / "### Answer"',
    () => 'se esperaba un campo como "id: tiempo-de-envio", o "### Frases" / "### Respuesta"',
  ),
  unknown_field: say<{ field: string }>(
    ({ field }) => `unknown field "${field}": known fields are id, tags, related, escalate`,
    ({ field }) => `campo desconocido "${field}": los campos son id, etiquetas, relacionadas y escalar (o tags, related, escalate)`,
  ),
  field_twice: say<{ field: string; first: number }>(
    ({ field, first }) => `"${field}" is given twice in this entry (first on line ${first}): keep one`,
    ({ field, first }) => `"${field}" aparece dos veces en esta entrada (la primera en la línea ${first}): deja una`,
  ),
  id_missing: say<{ question: string }>(
    ({ question }) => `entry "${question}" has no id: add a line such as "id: shipping-time" under the heading`,
    ({ question }) => `la entrada "${question}" no tiene id: agrega una línea como "id: tiempo-de-envio" bajo el título`,
  ),
  id_malformed: say<{ id: string }>(
    ({ id }) => `id "${id}" may only use lowercase letters, digits and "-" (e.g. "shipping-time")`,
    ({ id }) => `el id "${id}" solo puede tener minúsculas sin tilde, números y "-" (por ejemplo "tiempo-de-envio")`,
  ),
  answer_missing: say<{ entry: string }>(
    ({ entry }) => `entry "${entry}" has no answer: add "### Answer" ("### Respuesta" in a Spanish file) followed by the text`,
    ({ entry }) => `la entrada "${entry}" no tiene respuesta: agrega "### Respuesta" y después el texto`,
  ),
  escalate_malformed: say<{ value: string }>(
    ({ value }) => `escalate must be "true" or "false", not "${value}"`,
    ({ value }) => `escalar debe ser "sí" o "no" (o "true" / "false"), no "${value}"`,
  ),
  related_malformed: say<{ ids: string }>(
    ({ ids }) => `related ids must look like "order-tracking": fix ${ids}`,
    ({ ids }) => `los ids de related son como "seguimiento-de-pedido": corrige ${ids}`,
  ),
  id_taken: say<{ id: string; first: string }>(
    ({ id, first }) => `id "${id}" is already used in ${first}: give this entry another id (ids are unique per language)`,
    ({ id, first }) => `el id "${id}" ya se usa en ${first}: pon otro id a esta entrada (cada id es único en su idioma)`,
  ),
  id_faq_and_intent: say<{ id: string; other: string }>(
    ({ id, other }) => `id "${id}" names both a FAQ and an intent (${other}): rename one`,
    ({ id, other }) => `el id "${id}" es a la vez una FAQ y una intención (${other}): cambia el nombre de una`,
  ),
  related_missing: say<{ related: string; lang: string }>(
    ({ related, lang }) => `related id "${related}" does not exist in ${lang}: fix the id or add that entry`,
    ({ related, lang }) => `el id relacionado "${related}" no existe en ${LANGUAGE_NAMES[lang] ?? lang}: corrige el id o crea esa entrada`,
  ),
  few_phrasings: say<{ id: string; count: number; minimum: number }>(
    ({ id, count, minimum }) => `"${id}" has ${count} phrasings: add at least ${minimum} (5 or more is better) so the bot recognises other wordings`,
    ({ id, count, minimum }) => `"${id}" tiene ${count} ${count === 1 ? 'frase' : 'frases'}: agrega al menos ${minimum} (mejor 5 o más) para que el bot reconozca otras formas de preguntarlo`,
  ),
  phrasing_shared: say<{ phrasing: string; owner: string; where: string }>(
    ({ phrasing, owner, where }) => `"${phrasing}" is also a phrasing of "${owner}" (${where}): keep it in one entry only`,
    ({ phrasing, owner, where }) => `"${phrasing}" también es una frase de "${owner}" (${where}): déjala en una sola entrada`,
  ),
  translation_missing: say<{ id: string; langs: string }>(
    ({ id, langs }) => `"${id}" has no translation in ${langs}: add an entry with the same id there`,
    ({ id, langs }) => `"${id}" no tiene traducción al ${languageNames(langs)}: agrega una entrada con el mismo id en esa carpeta`,
  ),
  synonym_colon: say<Record<string, never>>(
    () => 'expected "canonical: variant, variant" (a colon after the main word)',
    () => 'se esperaba "principal: variante, variante" (dos puntos después de la palabra principal)',
  ),
  synonym_variants: say<{ line: string }>(
    ({ line }) => `"${line}" needs a main word and at least one variant after the colon`,
    ({ line }) => `"${line}" necesita una palabra principal y al menos una variante después de los dos puntos`,
  ),
  synonym_repeated: say<{ word: string; first: number }>(
    ({ word, first }) => `"${word}" already appears on line ${first}: a word belongs to one group only`,
    ({ word, first }) => `"${word}" ya aparece en la línea ${first}: cada palabra va en un solo grupo`,
  ),
  values_json: say<{ reason: string }>(
    ({ reason }) => `not valid JSON (${reason}): fix it; its values are not used until then`,
    ({ reason }) => `no es JSON válido (${reason}): corrígelo; hasta entonces no se usan sus valores`,
  ),
  values_shape: say<Record<string, never>>(
    () => 'expected an object such as {"es": {"payment-cards": "Visa"}, "en": {…}}',
    () => 'se esperaba un objeto como {"es": {"payment-cards": "Visa"}, "en": {…}}',
  ),
  values_lang: say<{ lang: string; langs: string }>(
    ({ lang, langs }) => `"${lang}" ignored: top-level keys are languages (${langs}) holding {"key": "text"}`,
    ({ lang, langs }) => `"${lang}" no se usa: las claves de primer nivel son idiomas (${langs}) con {"clave": "texto"}`,
  ),
  values_entry: say<{ key: string; max: number }>(
    ({ key, max }) => `${key} ignored: keys are lowercase-with-dashes and values non-empty text of at most ${max} characters`,
    ({ key, max }) => `${key} no se usa: las claves van en minúsculas-con-guiones y los valores son texto no vacío de hasta ${max} caracteres`,
  ),
  // Edits refused before anything is written (src/knowledge/edit-files.ts, write-entries.ts).
  edit_not_a_file: say<{ file: string; lang: string }>(
    ({ file, lang }) => `"${file}" is not a knowledge file of ${lang}: use a name such as "${lang}/envios.md" inside the knowledge folder`,
    ({ file, lang }) => `"${file}" no es un archivo de conocimiento en ${LANGUAGE_NAMES[lang] ?? lang}: usa un nombre como "${lang}/envios.md" dentro de la carpeta de conocimiento`,
  ),
  edit_outside: say<{ file: string }>(
    ({ file }) => `"${file}" leads outside the knowledge folder`,
    ({ file }) => `"${file}" apunta fuera de la carpeta de conocimiento`,
  ),
  edit_file_gone: say<{ file: string }>(
    ({ file }) => `${file} no longer exists: reload the page`,
    ({ file }) => `${file} ya no existe: vuelve a cargar la página`,
  ),
  edit_nothing_new: say<{ id: string }>(
    ({ id }) => `"${id}" already has every one of these phrasings`,
    ({ id }) => `"${id}" ya tiene todas estas frases`,
  ),
  edit_bad_id: say<{ id: string }>(
    ({ id }) => `id "${id}" may only use lowercase letters, digits and "-" (e.g. "gift-cards")`,
    ({ id }) => `el id "${id}" solo puede tener minúsculas sin tilde, números y "-" (por ejemplo "tarjetas-de-regalo")`,
  ),
  edit_not_read_back: say<{ file: string }>(
    ({ file }) => `the FAQ would not read back as typed from ${file}: check the question and the answer for markdown headings`,
    ({ file }) => `la FAQ no se leería tal como está escrita en ${file}: revisa que la pregunta y la respuesta no tengan títulos de markdown`,
  ),
  edit_no_language: say<Record<string, never>>(
    () => 'give the FAQ in at least one language',
    () => 'escribe la FAQ en al menos un idioma',
  ),
  edit_entry_gone: say<{ id: string }>(
    ({ id }) => `no entry with id "${id}" in this file: it may have been renamed or moved; reload the page`,
    ({ id }) => `no hay ninguna entrada con el id "${id}" en este archivo: quizá se renombró o se movió; vuelve a cargar la página`,
  ),
  edit_no_answer_section: say<{ id: string }>(
    ({ id }) => `entry "${id}" has no answer section; fix the file first (atento kb check)`,
    ({ id }) => `la entrada "${id}" no tiene sección de respuesta: arregla antes el archivo (atento kb check)`,
  ),
  edit_answer_empty: say<Record<string, never>>(
    () => 'the answer is empty: write what the bot should say',
    () => 'la respuesta está vacía: escribe lo que debe decir el bot',
  ),
  edit_answer_heading: say<Record<string, never>>(
    () => 'a line of the answer starts with "## " or is a "### Phrasings/Answer" heading, which would start a new entry or section: reword that line',
    () => 'una línea de la respuesta empieza con "## " o es un título "### Frases/Respuesta", que abriría otra entrada o sección: cambia esa línea',
  ),
  edit_broken_character: say<EditedField>(
    (field) => `${named('en', field)} has a broken character (a lone UTF-16 surrogate): type it again`,
    (field) => `${named('es', field)} tiene un carácter dañado (un sustituto UTF-16 suelto): vuelve a escribirlo`,
  ),
  edit_empty: say<EditedField>(
    (field) => `${named('en', field)} is empty`,
    (field) => `${named('es', field)} está vacía`,
  ),
  edit_not_one_line: say<EditedField & { text: string }>(
    (field) => `${named('en', field)} must be one line: "${field.text}…"`,
    (field) => `${named('es', field)} debe ocupar una sola línea: "${field.text}…"`,
  ),
  edit_too_long: say<EditedField & { max: number }>(
    (field) => `${named('en', field)} is longer than ${field.max} characters: shorten it`,
    (field) => `${named('es', field)} tiene más de ${field.max} caracteres: acórtala`,
  ),
  edit_no_phrasings: say<Record<string, never>>(
    () => 'write at least one phrasing',
    () => 'escribe al menos una frase',
  ),
  edit_too_many_phrasings: say<{ max: number }>(
    ({ max }) => `at most ${max} phrasings at a time: add the rest in another edit`,
    ({ max }) => `como mucho ${max} frases a la vez: agrega el resto en otro cambio`,
  ),
  edit_starts_with_hash: say<{ what: EditedText; text: string }>(
    ({ what, text }) => `${WHAT.en[what]} may not start with "#": "${text}"`,
    ({ what, text }) => `${WHAT.es[what]} no puede empezar con "#": "${text}"`,
  ),
};

/** Language codes as the Spanish texts name them ("no existe en inglés"). */
const LANGUAGE_NAMES: Record<string, string> = { es: 'español', en: 'inglés' };
const languageNames = (codes: string) => codes.split(', ').map((code) => LANGUAGE_NAMES[code] ?? code).join(' ni al ');

/** The texts an edit checks, named in each language (as the page's form labels them). */
export type EditedText = 'phrasing' | 'question' | 'answer';
const WHAT: Record<Lang, Record<EditedText, string>> = {
  en: { phrasing: 'a phrasing', question: 'the main question', answer: 'the answer' },
  es: { phrasing: 'una frase', question: 'la pregunta principal', answer: 'la respuesta' },
};
/** A text of the edit and, when known, the FAQ's language it is in: a new FAQ's form has one of each per language. */
interface EditedField {
  what: EditedText;
  lang?: string;
}
const IN_LANGUAGE: Record<Lang, Record<string, string>> = { en: { es: 'in Spanish', en: 'in English' }, es: { es: 'en español', en: 'en inglés' } };
/** "la pregunta principal en español", "a phrasing". */
const named = (lang: Lang, { what, lang: faqLang }: EditedField) => [WHAT[lang][what], faqLang && IN_LANGUAGE[lang][faqLang]].filter(Boolean).join(' ');

export type ProblemCode = keyof typeof TEXTS;
type ValuesOf<Code extends ProblemCode> = Parameters<(typeof TEXTS)[Code]['en']>[0];

type ValuesArgument<Code extends ProblemCode> = ValuesOf<Code> extends Record<string, never> ? [] : [ValuesOf<Code>];

/** A problem at `at`, with its message in English (the CLI's and the logs' language). */
export function problem<Code extends ProblemCode>(at: SourceRef, severity: Problem['severity'], code: Code, ...[values]: ValuesArgument<Code>): Problem {
  const given = (values ?? {}) as Problem['values'];
  return { ...at, severity, code, values: given, message: problemMessage({ code, values: given }, 'en') };
}

/** An edit from the knowledge page refused before anything was written; `message` in English. */
export class KnowledgeEditError extends Error {
  constructor(
    readonly code: ProblemCode,
    readonly values: Problem['values'],
  ) {
    super(problemMessage({ code, values }, 'en'));
    this.name = 'KnowledgeEditError';
  }
}

export function editRefused<Code extends ProblemCode>(code: Code, ...[values]: ValuesArgument<Code>): KnowledgeEditError {
  return new KnowledgeEditError(code, (values ?? {}) as Problem['values']);
}

/** The problem told in `lang` (its file and line are not part of it). */
export function problemMessage({ code, values, message }: Pick<Problem, 'code' | 'values'> & { message?: string }, lang: Lang): string {
  // A page built by another version may get a code it does not know: the server's English then.
  const texts = TEXTS[code] as Record<Lang, (values: Problem['values']) => string> | undefined;
  return texts ? texts[lang](values) : (message ?? code);
}
