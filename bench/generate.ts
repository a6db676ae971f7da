import type { Entry } from '../src/knowledge/types';

/**
 * A made-up catalogue of 10,000 Spanish FAQs (100 products x 25 topics x 4 editions, 3 ways to ask
 * each), the same on every run, for measuring speed on a very large knowledge base. The questions
 * overlap on purpose, as a large shop's would: each product word appears in 100 FAQs, each topic in 400.
 */
const NOUNS = ['zapatillas', 'camiseta', 'pantalon', 'chaqueta', 'mochila', 'reloj', 'audifonos', 'celular', 'tablet', 'notebook',
  'cafetera', 'licuadora', 'sarten', 'colchon', 'almohada', 'lampara', 'silla', 'escritorio', 'bicicleta', 'casco'];
const ADJECTIVES = ['negro', 'deportivo', 'infantil', 'inalambrico', 'clasico'];
const EDITIONS = ['modelo 2024', 'edicion limitada', 'version pro', 'talla grande'];
const TOPICS: Array<[string, string, string]> = [
  ['cuanto cuesta {p} {e}', 'precio de {p} {e}', 'que valor tiene {p} {e}'],
  ['que tallas hay de {p} {e}', 'medidas disponibles {p} {e}', 'tienen {p} {e} en mi talla'],
  ['en que colores viene {p} {e}', 'colores de {p} {e}', 'hay {p} {e} en otro color'],
  ['hay stock de {p} {e}', 'quedan unidades de {p} {e}', 'cuando reponen {p} {e}'],
  ['cuanto tarda el envio de {p} {e}', 'en cuantos dias llega {p} {e}', 'plazo de entrega {p} {e}'],
  ['que garantia tiene {p} {e}', 'garantia de {p} {e}', 'si falla {p} {e} me lo cambian'],
  ['como devuelvo {p} {e}', 'devolucion de {p} {e}', 'quiero devolver {p} {e}'],
  ['de que material es {p} {e}', 'material de {p} {e}', 'con que esta hecho {p} {e}'],
  ['como se lava {p} {e}', 'cuidados de {p} {e}', 'se puede lavar {p} {e} en lavadora'],
  ['cuanto pesa {p} {e}', 'peso de {p} {e}', 'es liviano {p} {e}'],
  ['es compatible {p} {e}', 'compatibilidad de {p} {e}', 'sirve {p} {e} con otros'],
  ['como se usa {p} {e}', 'instrucciones de {p} {e}', 'manual de uso {p} {e}'],
  ['tiene descuento {p} {e}', 'oferta de {p} {e}', 'esta en promocion {p} {e}'],
  ['puedo pagar {p} {e} en cuotas', 'cuotas sin interes {p} {e}', 'financiamiento para {p} {e}'],
  ['pueden envolver {p} {e} para regalo', 'envoltorio de regalo {p} {e}', 'regalar {p} {e} con tarjeta'],
  ['viene armado {p} {e}', 'hay que armar {p} {e}', 'armado de {p} {e}'],
  ['venden repuestos de {p} {e}', 'repuestos para {p} {e}', 'piezas de recambio {p} {e}'],
  ['de donde viene {p} {e}', 'pais de origen {p} {e}', 'donde fabrican {p} {e}'],
  ['que marca es {p} {e}', 'fabricante de {p} {e}', 'es original {p} {e}'],
  ['puedo retirar {p} {e} en tienda', 'retiro en tienda {p} {e}', 'recoger {p} {e} en local'],
  ['que opinan de {p} {e}', 'resenas de {p} {e}', 'es bueno {p} {e}'],
  ['se puede personalizar {p} {e}', 'grabado en {p} {e}', 'personalizacion de {p} {e}'],
  ['trae pilas {p} {e}', 'que incluye la caja de {p} {e}', 'accesorios incluidos con {p} {e}'],
  ['cuanto dura la bateria de {p} {e}', 'autonomia de {p} {e}', 'cuantas horas dura {p} {e}'],
  ['venden {p} {e} al por mayor', 'precio mayorista {p} {e}', 'compra por volumen {p} {e}'],
];

export function generateCatalogue(): Entry[] {
  const entries: Entry[] = [];
  for (const noun of NOUNS) {
    for (const adjective of ADJECTIVES) {
      const product = `${noun} ${adjective}`;
      TOPICS.forEach((templates, topic) => {
        EDITIONS.forEach((edition, e) => {
          const [question, ...phrasings] = templates.map((t) => t.replace('{p}', product).replace('{e}', edition));
          entries.push({
            id: `${noun}-${adjective}-${topic}-${e}`,
            kind: 'faq',
            lang: 'es',
            question,
            phrasings,
            answer: `Respuesta sobre ${product} (${edition}).`,
            tags: [],
            related: [],
            escalate: false,
            source: { file: 'generated', line: entries.length + 1 },
          });
        });
      });
    }
  }
  return entries;
}

/** Questions as shoppers might type them: a phrasing cut short, with a typo, or reworded. */
export function generatedQueries(entries: readonly Entry[], count: number): string[] {
  const queries: string[] = [];
  for (let i = 0; queries.length < count; i++) {
    const entry = entries[(i * 7919) % entries.length];
    const text = [entry.question, ...entry.phrasings][i % 3];
    const words = text.split(' ');
    if (i % 3 === 0) queries.push(`hola ${words.slice(0, -1).join(' ')}?`);
    else if (i % 3 === 1) queries.push(words.map((w, k) => (k === 1 && w.length > 4 ? w.slice(0, 2) + w[3] + w[2] + w.slice(4) : w)).join(' '));
    else queries.push(`${text} por favor`);
  }
  return queries;
}
