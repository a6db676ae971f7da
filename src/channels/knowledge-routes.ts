import express, { type NextFunction, type Request, type Response } from 'express';
import { requireRole, sessionAgent, sessionAgentOf } from '../auth';
import type { Config } from '../config';
import { findOverlaps, type Engine, type EngineHost, type Reply } from '../engine';
import { AtentoError, ERRORS } from '../errors';
import { knowledgeGaps } from '../gaps';
import { findPlaceholders, KnowledgeEditError, KnowledgeRejectedError, knowledgeEditor, LANGUAGES, SHOP_VALUES_FILE } from '../knowledge';
import { committed, roleAllows, type AgentStore, type Store } from '../store';
import type { Logger } from '../observability';
import { loginPageFor } from './agent-routes';
import { serveBuiltFiles } from './built-files';
import { consoleLangOf } from './console-text';
import { faqBody, gapsQuery, handledBody, parseRequest, phrasingsBody, RefusedRequestError, tryQuery } from './knowledge-api';
import { renderKnowledgeForbiddenPage, renderKnowledgePage } from './knowledge-page';
import { isOriginAllowed } from './origin';
import { setHtmlSecurityHeaders } from './security-headers';

/**
 * The overlap check asks the bot every phrasing, on the event loop: 26–47 ms for the default content's
 * 1,045 (measured here), so about a quarter of a second at this many, and more per phrasing on a big
 * knowledge base. Above it, `atento kb overlaps` does it offline.
 */
const OVERLAP_CHECK_MAX_PHRASINGS = 5_000;

export interface KnowledgeRouteDeps {
  agents: AgentStore;
  store: Store;
  engineHost: EngineHost;
  config: Pick<Config, 'knowledgeDir' | 'intentsDir' | 'shopCountry' | 'matching'>;
  clock: () => Date;
  log: Logger;
  /** Folder holding knowledge.js and knowledge.css (built by scripts/build-web.js). */
  webDir: string;
}

/**
 * The editor's knowledge page (/agent/knowledge) and its JSON routes: unanswered questions grouped by
 * meaning, edits written to the markdown files, and "try the bot". Role editor on every route.
 */
export function knowledgeRoutes(deps: KnowledgeRouteDeps): express.Router {
  const router = express.Router();
  const editor = requireRole(deps.agents, 'editor');
  const gaps = deps.store.gaps;
  const files = knowledgeEditor(deps.config, deps.clock);
  const engine = () => deps.engineHost.current();

  router.get('/agent/knowledge', async (req, res) => {
    const agent = await sessionAgent(deps.agents, req.headers.cookie);
    if (!agent) return res.redirect(303, loginPageFor(req));
    setHtmlSecurityHeaders(res);
    const lang = consoleLangOf(req.headers.cookie, req.headers['accept-language']);
    if (!roleAllows(agent.role, 'editor')) return res.status(403).type('html').send(renderKnowledgeForbiddenPage(lang));
    res.type('html').send(renderKnowledgePage(agent, lang));
  });

  serveBuiltFiles(router, deps.webDir, ['knowledge.js', 'knowledge.css'], 'knowledge page');

  // Writes come only from our own pages (the same check as login and logout; the cookie is SameSite=Strict too).
  router.post('/agent/api/knowledge/*path', (req, res, next) => {
    if (isOriginAllowed(req, [])) return next();
    res.status(ERRORS.origin_forbidden.http).json({ error: { code: 'origin_forbidden', message: 'Edit the knowledge base from the page served by this server.' } });
  });

  router.get('/agent/api/knowledge/gaps', editor, async (req, res) => {
    const query = parseRequest(gapsQuery, req.query);
    const questions = await gaps.questions({ lang: query.lang, since: query.since && new Date(query.since).toISOString(), belowConfidence: deps.config.matching.answerThreshold });
    res.setHeader('Cache-Control', 'no-store');
    res.json({ groups: knowledgeGaps(questions, engine(), { handled: await gaps.handled(), relativeTo: files.relativeName }) });
  });

  router.post('/agent/api/knowledge/gaps/handled', editor, async (req, res) => {
    const body = parseRequest(handledBody, req.body);
    const handledAt = await gaps.markHandled(body.lang, body.keys, sessionAgentOf(res).id);
    await committed(deps.store);
    res.json({ handledAt });
  });

  router.get('/agent/api/knowledge/faqs', editor, (_req, res) => {
    const current = engine();
    // Questions as shoppers see them ("{shop}" named): the editor picks the FAQ by what it says.
    const faqs = current
      .knowledge.entries.filter((entry) => entry.kind === 'faq')
      .map((entry) => ({ id: entry.id, lang: entry.lang, question: current.label(entry.id, entry.lang) ?? entry.question, phrasings: entry.phrasings, file: files.relativeName(entry.source.file), line: entry.source.line }));
    const filesByLang = Object.fromEntries(LANGUAGES.map((lang) => [lang, [...new Set(faqs.filter((f) => f.lang === lang).map((f) => f.file))].sort()]));
    res.setHeader('Cache-Control', 'no-store');
    res.json({ faqs, files: filesByLang });
  });

  // Computed once per knowledge version: the page asks again after every edit.
  let overlapsOf: { version: string; overlaps: ReturnType<typeof describeOverlaps> } | null = null;
  router.get('/agent/api/knowledge/overlaps', editor, (_req, res) => {
    const current = engine();
    const phrasings = current.knowledge.entries.reduce((count, entry) => count + 1 + entry.phrasings.length, 0);
    res.setHeader('Cache-Control', 'no-store');
    if (phrasings > OVERLAP_CHECK_MAX_PHRASINGS) return res.json({ version: current.version, phrasings, overlaps: null });
    if (overlapsOf?.version !== current.version) overlapsOf = { version: current.version, overlaps: describeOverlaps(current) };
    res.json({ version: current.version, phrasings, overlaps: overlapsOf.overlaps });
  });

  /** `atento kb overlaps` for the FAQs (what the page edits), with questions and files as the page names them. */
  function describeOverlaps(current: Engine) {
    return findOverlaps(current, deps.config.matching).flatMap((overlap) => {
      const own = current.entry(overlap.id, overlap.lang);
      if (own?.kind !== 'faq') return [];
      const question = current.label(overlap.id, overlap.lang) ?? own.question;
      return [{ ...overlap, question, withQuestion: current.label(overlap.with, overlap.lang) ?? overlap.with, file: files.relativeName(own.source.file), line: own.source.line }];
    });
  }

  // What is live and the last refused change, with files named as the editor picks them ("es/tienda.md").
  router.get('/agent/api/knowledge/status', editor, (_req, res) => {
    const status = deps.engineHost.status();
    const rejected = status.rejected && { ...status.rejected, problems: status.rejected.problems.map(files.asEditorSeesIt) };
    res.setHeader('Cache-Control', 'no-store');
    res.json({ ...status, problems: status.problems.map(files.asEditorSeesIt), rejected });
  });

  // What `atento kb check` lists as demo content: shown to shoppers as it is until the shop sets its own.
  router.get('/agent/api/knowledge/placeholders', editor, (_req, res) => {
    const { knowledge } = engine();
    const placeholders = findPlaceholders(knowledge.entries, knowledge.values).map((placeholder) => ({ ...placeholder, file: files.relativeName(placeholder.file) }));
    res.setHeader('Cache-Control', 'no-store');
    res.json({ shopCountry: deps.config.shopCountry, valuesFile: SHOP_VALUES_FILE, placeholders });
  });

  router.get('/agent/api/knowledge/try', editor, (req, res) => {
    const query = parseRequest(tryQuery, req.query);
    const current = engine();
    const reply = current.respond(query.text, { lang: query.lang, detect: query.lang === undefined });
    res.setHeader('Cache-Control', 'no-store');
    res.json({ version: current.version, ...tryResult(reply, current) });
  });

  router.post('/agent/api/knowledge/phrasings', editor, (req, res) => {
    const body = parseRequest(phrasingsBody, req.body);
    const entry = engine().entry(body.id, body.lang);
    if (!entry || entry.kind !== 'faq') throw new AtentoError('not_found', `No FAQ "${body.id}" in ${body.lang}.`);
    const result = files.addPhrasings(body, entry.source.file);
    res.json(afterEdit(result, res, `added ${result.added.length} phrasings to ${body.lang}:${body.id}`));
  });

  router.post('/agent/api/knowledge/faqs', editor, (req, res) => {
    const body = parseRequest(faqBody, req.body);
    const result = files.createFaq(body);
    res.json(afterEdit(result, res, `created FAQ ${body.id} in ${Object.keys(body.languages).join(', ')}`));
  });

  /** The edit is on disk: load it now rather than at the watcher's next look, and say whether it is live. */
  function afterEdit<T extends { files: Array<{ file: string }> }>(result: T, res: Response, what: string) {
    deps.log.info({ agentId: sessionAgentOf(res).id }, `knowledge page: ${what} in ${result.files.map((f) => f.file).join(', ')} (by agent ${sessionAgentOf(res).id})`);
    const live = deps.engineHost.reload();
    const status = deps.engineHost.status();
    return { ...result, version: live.version, live: status.rejected === null };
  }

  router.use('/agent/api/knowledge', (error: unknown, _req: Request, res: Response, next: NextFunction) => {
    if (error instanceof KnowledgeRejectedError) {
      res.status(ERRORS.knowledge_invalid.http).json({ error: { code: 'knowledge_invalid', message: error.message, problems: error.problems } });
      return;
    }
    // `refusal` lets the page say it in its own language (src/knowledge/problems.ts).
    const refusal = error instanceof KnowledgeEditError ? { code: error.code, values: error.values } : error instanceof RefusedRequestError ? error.refusal : undefined;
    if (refusal) {
      res.status(ERRORS.bad_frame.http).json({ error: { code: 'bad_frame', message: (error as Error).message, refusal } });
      return;
    }
    next(error);
  });

  return router;
}

/** What `atento ask` shows, as data: the decision, then each candidate with its question (as shoppers see it) and the words it matched. */
function tryResult(reply: Reply, current: Pick<Engine, 'entry' | 'label'>) {
  return {
    action: reply.action,
    lang: reply.lang,
    id: reply.id,
    confidence: reply.confidence,
    text: reply.text,
    options: reply.options,
    related: reply.related,
    explanation: reply.explanation,
    candidates: reply.candidates.map((candidate) => {
      const kind = current.entry(candidate.id, reply.lang)?.kind ?? null;
      return { id: candidate.id, question: current.label(candidate.id, reply.lang) ?? candidate.id, kind, confidence: candidate.confidence, matched: candidate.matched, elsewhere: candidate.elsewhere ?? [] };
    }),
  };
}
