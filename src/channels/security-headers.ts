import crypto from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';

/** Headers on every response. */
export function baseSecurityHeaders(_req: Request, res: Response, next: NextFunction): void {
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Referrer-Policy', 'strict-origin-when-cross-origin');
  next();
}

/** For a style block inlined in a page: its CSP source expression. */
export function styleHash(css: string): string {
  return `'sha256-${crypto.createHash('sha256').update(css).digest('base64')}'`;
}

/**
 * Strict headers for our own HTML pages: only our scripts, no framing, sockets to ourselves.
 * The widget styles itself with constructable stylesheets, which need no 'unsafe-inline'.
 */
export function setHtmlSecurityHeaders(res: Response, inlineStyles: readonly string[] = []): void {
  const styles = ["'self'", ...inlineStyles.map(styleHash)].join(' ');
  res.setHeader(
    'Content-Security-Policy',
    [
      "default-src 'self'",
      "script-src 'self'",
      `style-src ${styles}`,
      "img-src 'self' data:",
      "connect-src 'self'",
      "base-uri 'none'",
      "form-action 'self'",
      "frame-ancestors 'none'",
      "object-src 'none'",
    ].join('; '),
  );
  res.setHeader('X-Frame-Options', 'DENY');
  res.setHeader('Cache-Control', 'no-store');
}
