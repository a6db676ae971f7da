import express, { type Request, type Response } from 'express';
import { clearedSessionCookie, endSession, login, sessionAgent, sessionCookie, type LoginLimiter } from '../auth';
import { ERRORS } from '../errors';
import type { AgentStore } from '../store';
import { renderConsolePage, renderLoginPage } from './agent-pages';
import { serveBuiltFiles } from './built-files';
import { consoleLangOf, translate } from './console-text';
import { clientAddress, type ProxyTrust } from './client-address';
import { isOriginAllowed } from './origin';
import { setHtmlSecurityHeaders } from './security-headers';

export interface AgentRouteDeps {
  agents: AgentStore;
  limiter: LoginLimiter;
  now: () => Date;
  /** Called after a logout, so open console sockets of that session close at once. */
  onLogout?: () => unknown;
  /** Folder holding console.js and console.css (built by scripts/build-web.js). */
  webDir: string;
  /** config.secureCookies: undefined means "Secure when the local proxy says the request came over HTTPS". */
  secureCookies?: boolean;
  /** The reverse proxies whose X-Forwarded-* headers are believed. */
  proxies: ProxyTrust;
  /** Resolves once the writes so far are on disk (group commit); rejects if their commit failed. */
  committed: () => Promise<void>;
}

const MAX_FIELD = 256;

/** /agent (the console, for logged-in agents), /agent/login, /agent/logout and the console's assets. */
export function agentRoutes(deps: AgentRouteDeps): express.Router {
  const router = express.Router();

  router.get('/agent', async (req, res) => {
    const agent = await sessionAgent(deps.agents, req.headers.cookie);
    if (!agent) return res.redirect(303, '/agent/login');
    setHtmlSecurityHeaders(res);
    res.type('html').send(renderConsolePage(agent, langOf(req)));
  });

  router.get('/agent/login', (req, res) => {
    setHtmlSecurityHeaders(res);
    res.type('html').send(renderLoginPage(langOf(req), { returnTo: returnPath(req.query.next) }));
  });

  // Login and logout change who is logged in: only the server's own pages may post to them (login CSRF,
  // forced logout). Browsers send Origin on every cross-site POST; clients without one are not browsers.
  router.post(['/agent/login', '/agent/logout'], (req, res, next) => {
    if (isOriginAllowed(req, [])) return next();
    res.status(ERRORS.origin_forbidden.http).json({ error: { code: 'origin_forbidden', message: 'Log in from the console page served by this server.' } });
  });

  router.post('/agent/login', async (req: Request, res: Response) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const email = typeof body.email === 'string' ? body.email.slice(0, MAX_FIELD) : '';
    const password = typeof body.password === 'string' ? body.password.slice(0, MAX_FIELD) : '';
    const wantsJson = req.is('application/json') !== false;
    const result = await login(deps, { email, password, clientAddress: clientAddress(req, deps.proxies) });
    if (!result.ok) {
      const status = result.error === 'rate_limited' ? 429 : 401;
      const lang = langOf(req);
      const message =
        result.error === 'rate_limited' ? translate(lang, 'login.rateLimited', { wait: waitText(result.retryAfterSeconds) }) : translate(lang, 'login.wrong');
      if (result.error === 'rate_limited') res.setHeader('Retry-After', String(result.retryAfterSeconds));
      if (wantsJson) return res.status(status).json({ error: { code: result.error, message } });
      setHtmlSecurityHeaders(res);
      return res.status(status).type('html').send(renderLoginPage(lang, { error: message, email, returnTo: returnPath(body.next) }));
    }
    // A cookie for a session row that a failed commit rolled back would log the agent out at the next page.
    await deps.committed();
    res.setHeader('Set-Cookie', sessionCookie(result.token, result.expiresAt, deps.secureCookies ?? cameOverHttps(req, deps.proxies)));
    if (wantsJson) return res.json({ agent: { id: result.agent.id, name: result.agent.name, role: result.agent.role } });
    res.redirect(303, returnPath(body.next) ?? '/agent');
  });

  router.post('/agent/logout', async (req, res) => {
    await endSession(deps.agents, req.headers.cookie);
    // Said logged out only once the session row is gone for good; otherwise the error page, and the agent tries again.
    await deps.committed();
    res.setHeader('Set-Cookie', clearedSessionCookie());
    deps.onLogout?.();
    res.redirect(303, '/agent/login');
  });

  serveBuiltFiles(router, deps.webDir, ['console.js', 'console.css'], 'agent console');

  return router;
}

/**
 * The page a login returns to, when it is one of ours under /agent; never another site (`//evil.example`,
 * `/\evil.example`, `https://…`), which would make the login page an open redirect.
 */
function returnPath(wanted: unknown): string | undefined {
  if (typeof wanted !== 'string' || !wanted.startsWith('/')) return undefined;
  const ours = 'http://atento.invalid';
  let url: URL;
  try {
    url = new URL(wanted, ours);
  } catch {
    return undefined;
  }
  if (url.origin !== ours || !/^\/agent(\/|$)/.test(url.pathname) || url.pathname === '/agent/login') return undefined;
  return `${url.pathname}${url.search}`;
}

/** The login page, to come back to the page asked for (the knowledge and analytics pages) once logged in. */
export function loginPageFor(req: Request): string {
  return `/agent/login?next=${encodeURIComponent(req.originalUrl)}`;
}

/** The agent's saved choice (cookie), else the browser's Accept-Language, else Spanish. */
function langOf(req: Request) {
  return consoleLangOf(req.headers.cookie, req.headers['accept-language']);
}

function waitText(seconds: number): string {
  return seconds < 60 ? `${seconds} s` : `${Math.ceil(seconds / 60)} min`;
}

/** Atento speaks plain HTTP behind a proxy; only a trusted proxy's X-Forwarded-Proto tells HTTPS apart. */
function cameOverHttps(req: Request, proxies: ProxyTrust): boolean {
  return proxies.trusts(req.socket.remoteAddress) && req.headers['x-forwarded-proto'] === 'https';
}
