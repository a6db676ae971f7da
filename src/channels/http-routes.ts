import fs from 'node:fs';
import path from 'node:path';
import express, { type NextFunction, type Request, type Response } from 'express';
import type { Config } from '../config';
import type { Engine } from '../engine';
import { AtentoError } from '../errors';
import { isLang } from '../knowledge/types';
import type { Logger } from '../observability';
import type { Store } from '../store';
import { DEMO_PAGE_STYLES, renderDemoPage } from './demo-page';
import { isOriginAllowed } from './origin';
import { setHtmlSecurityHeaders } from './security-headers';

export interface HttpRouteDeps {
  config: Config;
  store: Store;
  engine: () => Engine;
  /** Folder holding widget.js (built by scripts/build-web.js). */
  webDir: string;
}

/** The shopper-facing HTTP routes: the demo shop, the widget bundle, the health check. */
export function shopperRoutes({ config, store, engine, webDir }: HttpRouteDeps): express.Router {
  const router = express.Router();

  router.get('/', (req, res) => {
    const wanted = req.query.lang;
    const lang = isLang(wanted) ? wanted : config.defaultLanguage;
    setHtmlSecurityHeaders(res, [DEMO_PAGE_STYLES]);
    res.type('html').send(renderDemoPage(lang, config.shopName));
  });

  router.get('/widget.js', (_req, res, next) => {
    const file = path.join(webDir, 'widget.js');
    if (!fs.existsSync(file)) return next(new AtentoError('unavailable', 'The widget is not built: run `npm run build`.'));
    // Shops embed this from their own origin; revalidate so an upgrade reaches shoppers at once.
    res.setHeader('Cross-Origin-Resource-Policy', 'cross-origin');
    res.setHeader('Cache-Control', 'no-cache');
    res.sendFile(file, { headers: { 'Content-Type': 'text/javascript; charset=utf-8' } });
  });

  // Asked by a widget whose socket never opened: a refused origin then stops retrying and tells the page's
  // developer which setting to change. Whether an origin may embed the chat is no secret: any page may ask.
  router.get('/widget/origin', (req, res) => {
    res.setHeader('Access-Control-Allow-Origin', '*');
    res.setHeader('Cache-Control', 'no-store');
    res.json({ allowed: isOriginAllowed(req, config.allowedOrigins) });
  });

  router.get('/healthz', async (_req, res) => {
    const database = (await store.healthy()) ? 'ok' : 'error';
    res.status(database === 'ok' ? 200 : 503).json({ status: database === 'ok' ? 'ok' : 'degraded', knowledgeVersion: engine().version, database });
  });

  return router;
}

/** JSON errors with stable codes for every route, including body-parser failures. */
export function errorHandler(log: Logger) {
  return (error: unknown, req: Request, res: Response, _next: NextFunction): void => {
    const known = toAtentoError(error);
    if (known.code === 'internal') log.error({ err: error, method: req.method, path: req.path }, 'HTTP request failed');
    res.status(known.httpStatus).json({ error: { code: known.code, message: known.message } });
  };
}

export function notFound(_req: Request, _res: Response, next: NextFunction): void {
  next(new AtentoError('not_found'));
}

function toAtentoError(error: unknown): AtentoError {
  if (error instanceof AtentoError) return error;
  const status = (error as { status?: number; type?: string }).status;
  if (status === 413) return new AtentoError('frame_too_large', 'The request body is larger than the server accepts.');
  if (status === 400) return new AtentoError('bad_frame', 'The request body is not valid.');
  return new AtentoError('internal');
}
