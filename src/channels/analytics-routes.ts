import express, { type Request, type Response } from 'express';
import { buildReport, collectFigures, parseAnalyticsQuery, tableCsv, TABLE_IDS, type AnalyticsFilters, type AnalyticsReport, type DescribeEntry, type ReportContext, type TableId } from '../analytics';
import { requireRole, sessionAgent } from '../auth';
import type { Engine } from '../engine';
import { AtentoError } from '../errors';
import { roleAllows, type AgentStore, type AnalyticsPeriod, type AnalyticsStore } from '../store';
import { loginPageFor } from './agent-routes';
import { renderAnalyticsPage, renderForbiddenPage } from './analytics-page';
import { serveBuiltFiles } from './built-files';
import { consoleLangOf, translate, type ConsoleLang, type TextKey } from './console-text';
import { setHtmlSecurityHeaders } from './security-headers';

export interface AnalyticsRouteDeps {
  agents: AgentStore;
  analytics: AnalyticsStore;
  engine: () => Engine;
  /** The shop's time zone (config handoff.timeZone): a "day" on the page is a day there. */
  timeZone: string;
  now: () => Date;
  /** Folder holding analytics.js and analytics.css (built by scripts/build-web.js). */
  webDir: string;
}

/** Handoff reasons the console names (console-text.ts `reason.*`); `faq:<id>` reads as the FAQ's question. */
const HANDOFF_REASONS = ['button', 'human-request', 'complaint', 'negative-sentiment', 'low-confidence'] as const;

/** /agent/analytics (the admin's page), its JSON and CSV under /agent/api/analytics, and its assets. docs/analytics.md */
export function analyticsRoutes(deps: AnalyticsRouteDeps): express.Router {
  const router = express.Router();
  const contextFor = (lang: ConsoleLang): ReportContext => {
    const other: ConsoleLang = lang === 'es' ? 'en' : 'es';
    // In the team's language when the entry has it; an id no longer in the knowledge base is shown as itself.
    const describe: DescribeEntry = (id) => {
      const engine = deps.engine();
      const entry = engine.entry(id, lang) ?? engine.entry(id, other);
      return { title: engine.label(id, lang) ?? engine.label(id, other) ?? id, faq: entry?.kind !== 'intent' };
    };
    const reasonLabel = (reason: string) => {
      if (reason.startsWith('faq:')) return describe(reason.slice(4)).title;
      return (HANDOFF_REASONS as readonly string[]).includes(reason) ? translate(lang, `reason.${reason}` as TextKey) : reason;
    };
    return { lang, describe, reasonLabel };
  };
  const langOf = (req: Request) => consoleLangOf(req.headers.cookie, req.headers['accept-language']);
  const parse = (query: unknown) => parseAnalyticsQuery(query, { timeZone: deps.timeZone, now: deps.now() });
  const parseOrRefuse = (query: unknown) => {
    const parsed = parse(query);
    if (!parsed.ok) throw new AtentoError('bad_frame', `Analytics: ${parsed.message}.`);
    return parsed;
  };
  const report = async (parsed: { period: AnalyticsPeriod; filters: AnalyticsFilters }, lang: ConsoleLang): Promise<AnalyticsReport> =>
    buildReport(await collectFigures(deps.analytics, parsed.period), parsed.filters, contextFor(lang));

  router.get('/agent/analytics', async (req, res) => {
    const agent = await sessionAgent(deps.agents, req.headers.cookie);
    if (!agent) return res.redirect(303, loginPageFor(req));
    setHtmlSecurityHeaders(res);
    const lang = langOf(req);
    if (!roleAllows(agent.role, 'admin')) return res.status(403).type('html').send(renderForbiddenPage(agent, lang));
    const parsed = parse(req.query);
    if (!parsed.ok) {
      // The form comes back with the default range, and the reason the asked one was refused.
      const fallback = parseOrRefuse({});
      return res.status(400).type('html').send(renderAnalyticsPage({ agent, lang, filters: fallback.filters, report: null, error: parsed.message }));
    }
    res.type('html').send(renderAnalyticsPage({ agent, lang, filters: parsed.filters, report: await report(parsed, lang), error: null }));
  });

  router.get('/agent/api/analytics', requireRole(deps.agents, 'admin'), async (req, res) => {
    const parsed = parseOrRefuse(req.query);
    if (parsed.format !== 'json') throw new AtentoError('bad_frame', 'Analytics: CSV is per table: /agent/api/analytics/<table>?format=csv.');
    res.setHeader('Cache-Control', 'no-store');
    res.json(await report(parsed, langOf(req)));
  });

  router.get('/agent/api/analytics/:table', requireRole(deps.agents, 'admin'), async (req, res) => {
    const id = String(req.params.table);
    if (!(TABLE_IDS as readonly string[]).includes(id)) throw new AtentoError('not_found', `Analytics: no table "${id}"; tables: ${TABLE_IDS.join(', ')}.`);
    const parsed = parseOrRefuse(req.query);
    const { filters, tables } = await report(parsed, langOf(req));
    res.setHeader('Cache-Control', 'no-store');
    if (parsed.format === 'json') return res.json({ filters, table: tables[id as TableId] });
    sendCsv(res, `atento-${id}-${filters.from}-${filters.to}-${filters.lang}.csv`, tableCsv(tables[id as TableId]));
  });

  serveBuiltFiles(router, deps.webDir, ['analytics.js', 'analytics.css'], 'analytics page');

  return router;
}

function sendCsv(res: Response, filename: string, body: string): void {
  res.setHeader('Content-Disposition', `attachment; filename="${filename}"`);
  // A byte-order mark, so spreadsheet programs read the accents as UTF-8.
  res.type('text/csv; charset=utf-8').send(`\uFEFF${body}`);
}
