import fs from 'node:fs';
import path from 'node:path';

/** The project folder (the one with package.json), whether running from src/ (tests) or dist/src/ (npm start). */
export function projectRoot(start = __dirname): string {
  for (let dir = start; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'package.json'))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`atento: no package.json above ${start}; run Atento from its project folder`);
  }
}

/** Where scripts/build-web.js writes the browser bundles. */
export function webBundleDir(): string {
  return path.join(projectRoot(), 'dist', 'web');
}
