#!/usr/bin/env node
'use strict';
/**
 * Bundles the browser code with esbuild into dist/web/: the shopper's widget (one file, at most
 * 25 KB gzipped, checked here) and, when present, the agent console and the editors' knowledge page. `npm run build` runs this;
 * test/global-setup.ts calls buildWeb() so tests always serve the current widget.
 */
const fs = require('node:fs');
const path = require('node:path');
const zlib = require('node:zlib');
const esbuild = require('esbuild');

const ROOT = path.resolve(__dirname, '..');
const OUT_DIR = path.join(ROOT, 'dist', 'web');
const WIDGET_GZIP_BUDGET = 25 * 1024;
const ENTRIES = [
  { name: 'widget', entry: 'web-widget/src/widget.ts', budget: WIDGET_GZIP_BUDGET },
  { name: 'console', entry: 'web-widget/console/src/console.ts', budget: null },
  { name: 'console', entry: 'web-widget/console/console.css', budget: null },
  { name: 'knowledge', entry: 'web-widget/console/src/knowledge-page.ts', budget: null },
  { name: 'knowledge', entry: 'web-widget/console/knowledge.css', budget: null },
  { name: 'analytics', entry: 'web-widget/console/src/analytics.ts', budget: null },
  { name: 'analytics', entry: 'web-widget/console/analytics.css', budget: null },
];

async function buildWeb({ quiet = false } = {}) {
  const results = [];
  for (const { name, entry, budget } of ENTRIES) {
    const input = path.join(ROOT, entry);
    if (!fs.existsSync(input)) continue;
    const outfile = path.join(OUT_DIR, `${name}${path.extname(entry) === '.css' ? '.css' : '.js'}`);
    await esbuild.build({
      entryPoints: [input],
      outfile,
      bundle: true,
      minify: true,
      format: 'iife',
      target: ['es2020', 'chrome90', 'firefox90', 'safari14'],
      legalComments: 'none',
      logLevel: 'warning',
    });
    const bytes = fs.readFileSync(outfile);
    const gzipped = zlib.gzipSync(bytes, { level: 9 }).length;
    if (budget !== null && gzipped > budget) {
      throw new Error(`${entry}: the bundle is ${gzipped} bytes gzipped, over the ${budget}-byte budget; remove code or dependencies`);
    }
    results.push({ name, bytes: bytes.length, gzipped });
    if (!quiet) console.log(`dist/web/${path.basename(outfile)}: ${(bytes.length / 1024).toFixed(1)} KB, ${(gzipped / 1024).toFixed(1)} KB gzipped`);
  }
  return results;
}

module.exports = { buildWeb };

if (require.main === module) {
  buildWeb().catch((error) => {
    console.error(error.message);
    process.exit(1);
  });
}
