#!/usr/bin/env node
'use strict';
// The CLI is compiled TypeScript; `npm run build` (run by `npm start`) produces it.
try {
  require('../dist/src/cli/index.js').main(process.argv.slice(2));
} catch (error) {
  if (error && error.code === 'MODULE_NOT_FOUND' && /dist[\\/]src[\\/]cli/.test(String(error.message))) {
    console.error('atento: the CLI is not built yet. Run `npm run build` in the project folder first.');
    process.exit(1);
  }
  throw error;
}
