import type { Lang } from '../knowledge/types';
import { normalize, words } from './normalize';
import { stopwords } from './stem';

export interface DetectedLanguage {
  lang: Lang | null;
  confidence: number;
}

// Words shoppers use in one language only. Short chat words ("hola", "thanks") matter most, since many
// messages are one or two words long; words both languages use ("no", "me", "ok", "email") are not here.
const MARKERS: Record<Lang, string> = {
  es: `hola buenas buenos dias tardes noches gracias muchas adios chau chao saludos porfa favor vale dale bueno
    genial perfecto listo claro oye disculpa perdon quiero queria necesito puedo puede pueden podria tengo tiene
    tienen hay estoy esta estan soy eres es son fue hacer hago hace cuanto cuanta cuantos cuantas cuando donde
    como cual cuales quien porque pero tambien solo ya aun todavia muy mas menos ahora hoy manana ayer nada algo
    mi mis tu tus su sus el la los las lo un una unos unas del al de en y o con sin por para que se le les nos
    este esta esto ese eso aqui alli pedido pedidos envio envios compra compras comprar compre precio precios tienda
    talla tallas devolucion devolver cambio cambiar pago pagar pague tarjeta cuenta contrasena factura boleta cuotas
    hablar persona asesor ayuda ayudar llego llega llegado recibi paquete producto productos dinero plata cobro
    cobraron descuento cupon envian mandan semana horario atencion telefono correo direccion`,
  en: `hi hello hey thanks thank thx please pls bye goodbye cheers morning afternoon evening night great good yes
    yeah yep nope the is are was were be been an and of to in on for with it its you your i my we our they
    what how when where why who which can could do does did have has had get got want wanted need would will
    this that there these those not dont cant wont im ive about from at by just still much many long
    order orders shipping ship shipped refund return returns money card account password help talk person human
    agent time size store shop buy bought pay paid payment cost price track tracking cancel change item items
    arrived received wrong broken charged twice discount code week hours phone address delivered package`,
};

// Words both languages use, whatever the stop word lists say.
const SHARED = ['no', 'me', 'a', 'he', 'come', 'son', 'sin', 'ok', 'final', 'real', 'email', 'online', 'delivery', 'stock'];

const SPANISH_LETTERS = /[ñ¿¡áéíóú]/i;
const SUFFIX_HINTS: Record<Lang, RegExp> = {
  es: /(cion|ciones|mente|ado|ada|ados|adas|ido|ida|amos|emos|imos|aron|ieron|ando|iendo|ria|rian|ito|ita)$/,
  en: /(ing|tion|tions|ness|ly|ed|ful|less|ship|th|sh|ck|w|k)$/,
};
const SUFFIX_WEIGHT = 0.3;

const LEXICON: Record<Lang, ReadonlySet<string>> = (() => {
  const es = new Set([...words(normalize(MARKERS.es)), ...stopwords('es')]);
  const en = new Set([...words(normalize(MARKERS.en)), ...stopwords('en')]);
  for (const word of SHARED) {
    es.delete(word);
    en.delete(word);
  }
  for (const word of [...es]) {
    if (en.has(word)) {
      es.delete(word);
      en.delete(word);
    }
  }
  return { es, en };
})();

/**
 * Guesses a message's language from words only one language uses, Spanish letters (ñ, ¿, accents) and
 * word endings. Returns null when the message gives no evidence ("ok", "123", a product code), so the
 * caller can fall back to the conversation's or the page's language.
 */
export function detectLanguage(text: string): DetectedLanguage {
  const score: Record<Lang, number> = { es: SPANISH_LETTERS.test(text) ? 1 : 0, en: 0 };
  for (const word of words(normalize(text))) {
    if (LEXICON.es.has(word)) score.es += 1;
    else if (LEXICON.en.has(word)) score.en += 1;
    else if (word.length > 3 && SUFFIX_HINTS.es.test(word)) score.es += SUFFIX_WEIGHT;
    else if (word.length > 3 && SUFFIX_HINTS.en.test(word)) score.en += SUFFIX_WEIGHT;
  }
  const lead = score.es - score.en;
  if (Math.abs(lead) < SUFFIX_WEIGHT) return { lang: null, confidence: 0 };
  const margin = Math.abs(lead);
  const confidence = (margin / (score.es + score.en)) * (1 - 0.5 ** margin);
  return { lang: lead > 0 ? 'es' : 'en', confidence: Math.round(confidence * 1000) / 1000 };
}
