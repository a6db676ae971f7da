import type { Lang } from '../knowledge/types';

/**
 * The demo shop at `/`: a small believable store page with the widget embedded by one script tag,
 * exactly as a shop would do it. Everything here is static text we wrote; the only variable
 * (the shop name, from config) is escaped.
 */

interface Product {
  /** Inner SVG (viewBox 0 0 64 64), drawn in currentColor: no emoji font or image request needed. */
  art: string;
  ink: string;
  name: Record<Lang, string>;
  price: string;
  tone: string;
}

const PRODUCTS: Product[] = [
  {
    art: '<path d="M24 16v-4a8 8 0 0 1 16 0v4" fill="none" stroke="currentColor" stroke-width="4"/><rect x="14" y="16" width="36" height="40" rx="9"/><rect x="21" y="34" width="22" height="14" rx="3" fill="#fff" opacity=".35"/>',
    ink: '#b45f34',
    name: { es: 'Mochila de lona encerada', en: 'Waxed canvas backpack' },
    price: '$1,290',
    tone: '#fde7d9',
  },
  {
    art: '<path d="M44 24h4a8 8 0 0 1 0 16h-4" fill="none" stroke="currentColor" stroke-width="4"/><rect x="14" y="18" width="30" height="34" rx="5"/><path d="M18 28h22" stroke="#fff" stroke-width="3" opacity=".45"/>',
    ink: '#2f7a5f',
    name: { es: 'Taza de cerámica de Tonalá', en: 'Tonalá ceramic mug' },
    price: '$249',
    tone: '#e4efe9',
  },
  {
    art: '<path d="M16 10h32v10c0 5-4 8-9 8H25c-5 0-9-3-9-8z"/><rect x="21" y="26" width="10" height="28" rx="2"/><rect x="34" y="26" width="10" height="23" rx="2"/><path d="M23 56v4M26 56v4M29 56v4M36 51v4M39 51v4M42 51v4" stroke="currentColor" stroke-width="1.5"/><path d="M21 36h10M34 36h10" stroke="#fff" stroke-width="3" opacity=".45"/>',
    ink: '#6b4fa0',
    name: { es: 'Bufanda de alpaca', en: 'Alpaca scarf' },
    price: '$690',
    tone: '#e9e4f5',
  },
  {
    art: '<rect x="16" y="10" width="32" height="44" rx="3"/><path d="M24 10v44" stroke="#fff" stroke-width="2" opacity=".5"/><rect x="29" y="18" width="13" height="6" rx="1" fill="#fff" opacity=".5"/>',
    ink: '#9a7a12',
    name: { es: 'Cuaderno de papel reciclado', en: 'Recycled paper notebook' },
    price: '$159',
    tone: '#fbf1cf',
  },
  {
    art: '<path d="M32 8c5 7 6 11 0 16-6-5-5-9 0-16z"/><rect x="21" y="27" width="22" height="28" rx="4"/>',
    ink: '#a3424a',
    name: { es: 'Vela de cera de soya', en: 'Soy wax candle' },
    price: '$210',
    tone: '#f6e3e3',
  },
  {
    art: '<path d="M19 28a13 13 0 0 1 26 0" fill="none" stroke="currentColor" stroke-width="4"/><path d="M9 28h46l-7 26H16z"/><path d="M18 36h28M20 44h24" stroke="#fff" stroke-width="2.5" opacity=".45"/>',
    ink: '#2d6a93',
    name: { es: 'Canasta tejida a mano', en: 'Hand-woven basket' },
    price: '$480',
    tone: '#e3eef6',
  },
];

const TEXT = {
  es: {
    title: 'Hecho a mano, enviado a todo el país',
    lead: 'Objetos de artesanos latinoamericanos. Envío gratis en compras desde $999.',
    nav: ['Novedades', 'Hogar', 'Accesorios', 'Ofertas'],
    add: 'Agregar al carrito',
    help: '¿Dudas sobre envíos, pagos o devoluciones? Pregúntale a nuestro asistente en la burbuja de abajo a la derecha.',
    footer: 'Página de demostración de Atento. Los productos y precios son de ejemplo.',
    currency: 'MXN',
    switchLabel: 'Idioma',
  },
  en: {
    title: 'Handmade, shipped nationwide',
    lead: 'Goods from Latin American makers. Free shipping on orders over $999.',
    nav: ['New', 'Home', 'Accessories', 'Sale'],
    add: 'Add to cart',
    help: 'Questions about shipping, payment or returns? Ask our assistant in the bubble at the bottom right.',
    footer: 'Atento demo page. Products and prices are examples.',
    currency: 'MXN',
    switchLabel: 'Language',
  },
} as const;

const DEMO_PAGE_CSS = `
*{box-sizing:border-box}
body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1f2933;background:#fafaf7}
a{color:#0f5f59}
header{display:flex;align-items:center;justify-content:space-between;gap:1rem;flex-wrap:wrap;padding:1rem 2rem;background:#fff;border-bottom:1px solid #e5e5df}
.logo{font-weight:800;font-size:1.35rem;color:#0f5f59;text-decoration:none}
nav ul{display:flex;gap:1.25rem;list-style:none;margin:0;padding:0}
nav a{text-decoration:none;color:#1f2933}
.lang{display:flex;gap:.5rem;font-size:.9rem}
.lang a[aria-current]{font-weight:700;text-decoration:none;color:#1f2933}
.hero{padding:2.5rem 2rem 1.5rem;max-width:1100px;margin:0 auto}
.hero h1{font-size:2rem;margin:0 0 .5rem}
.hero p{margin:0;color:#52606d}
.grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(220px,1fr));gap:1.25rem;padding:1rem 2rem 2rem;max-width:1100px;margin:0 auto}
.card{background:#fff;border:1px solid #e5e5df;border-radius:12px;overflow:hidden;display:flex;flex-direction:column}
.art{display:grid;place-items:center;height:150px}
.art svg{width:84px;height:84px;fill:currentColor}
.card h2{font-size:1rem;margin:.75rem 1rem .25rem}
.price{margin:0 1rem;font-weight:700}
.card button{margin:1rem;padding:.6rem;border:0;border-radius:8px;background:#0f5f59;color:#fff;font:inherit;cursor:pointer}
.card button:focus-visible{outline:3px solid #f59e0b;outline-offset:2px}
.help{max-width:1100px;margin:0 auto;padding:0 2rem 2rem;color:#52606d}
footer{padding:1.5rem 2rem 6rem;text-align:center;color:#616e7c;font-size:.85rem;border-top:1px solid #e5e5df}
@media (max-width:600px){header{padding:1rem}nav ul{gap:.8rem;font-size:.9rem}.hero,.grid,.help{padding-left:1rem;padding-right:1rem}.hero h1{font-size:1.5rem}}
`;

const ART_TONES = PRODUCTS.map((p, i) => `.art-${i}{background:${p.tone};color:${p.ink}}`).join('');
export const DEMO_PAGE_STYLES = DEMO_PAGE_CSS + ART_TONES;

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

export function renderDemoPage(lang: Lang, shopName: string): string {
  const t = TEXT[lang];
  const shop = escapeHtml(shopName);
  const cards = PRODUCTS.map(
    (p, i) => `<article class="card"><div class="art art-${i}" aria-hidden="true"><svg viewBox="0 0 64 64">${p.art}</svg></div><h2>${p.name[lang]}</h2>` +
      `<p class="price">${p.price} ${t.currency}</p><button type="button">${t.add}</button></article>`,
  ).join('\n');
  const langLink = (code: Lang, label: string) =>
    `<a href="/?lang=${code}" hreflang="${code}" lang="${code}"${code === lang ? ' aria-current="true"' : ''}>${label}</a>`;
  return `<!doctype html>
<html lang="${lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${shop}</title>
<link rel="icon" href="data:,">
<style>${DEMO_PAGE_STYLES}</style>
</head>
<body>
<header>
<a class="logo" href="/?lang=${lang}">${shop}</a>
<nav aria-label="${lang === 'es' ? 'Categorías' : 'Categories'}"><ul>${t.nav.map((n) => `<li><a href="/?lang=${lang}">${n}</a></li>`).join('')}</ul></nav>
<div class="lang" role="group" aria-label="${t.switchLabel}">${langLink('es', 'Español')} ${langLink('en', 'English')}</div>
</header>
<main>
<section class="hero"><h1>${t.title}</h1><p>${t.lead}</p></section>
<section class="grid" aria-label="${lang === 'es' ? 'Productos' : 'Products'}">
${cards}
</section>
<p class="help">${t.help}</p>
</main>
<footer>${t.footer}</footer>
<script src="/widget.js" data-lang="${lang}" data-title="${shop}" data-color="#0f5f59" defer></script>
</body>
</html>`;
}
