import fs from 'node:fs';
import path from 'node:path';
import type express from 'express';
import { AtentoError } from '../errors';

const TYPES = { '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8' } as const;

/**
 * Serves a page's bundles from dist/web at `/agent/<file>`. `no-cache` so an upgrade's new bundle is
 * used at once; a missing bundle is a clear 503 telling the operator to build, not a bare 404.
 */
export function serveBuiltFiles(router: express.Router, webDir: string, files: Array<`${string}.js` | `${string}.css`>, page: string): void {
  for (const file of files) {
    router.get(`/agent/${file}`, (_req, res, next) => {
      const full = path.join(webDir, file);
      if (!fs.existsSync(full)) return next(new AtentoError('unavailable', `The ${page} is not built: run \`npm run build\`.`));
      res.setHeader('Cache-Control', 'no-cache');
      res.sendFile(full, { headers: { 'Content-Type': TYPES[path.extname(file) as keyof typeof TYPES] } });
    });
  }
}
