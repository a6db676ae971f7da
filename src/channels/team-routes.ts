import express from 'express';
import { requireRole, sessionAgentOf } from '../auth';
import { AtentoError, ERRORS } from '../errors';
import type { Logger } from '../observability';
import { committed, type AgentStore, type Store, type StoredMessage } from '../store';
import { isOriginAllowed } from './origin';

export interface TeamRouteDeps {
  agents: AgentStore;
  store: Store;
  log: Logger;
}

/**
 * JSON routes behind the editor and admin pages (docs/roles.md). Every one checks the role on the
 * server with `requireRole`, whatever the console shows.
 */
export function teamRoutes(deps: TeamRouteDeps): express.Router {
  const router = express.Router();

  router.get('/agent/api/conversations/:id/transcript', requireRole(deps.agents, 'admin'), async (req, res, next) => {
    const id = String(req.params.id);
    const conversation = await deps.store.conversations.get(id);
    if (!conversation) return next(new AtentoError('not_found', `No conversation ${id}.`));
    const messages = await allMessages(deps.store, id);
    const format = req.query.format ?? 'json';
    if (format === 'csv') {
      res.setHeader('Content-Disposition', `attachment; filename="transcript-${id}.csv"`);
      return res.type('text/csv; charset=utf-8').send(transcriptCsv(messages));
    }
    if (format !== 'json') return next(new AtentoError('bad_frame', 'format must be "json" or "csv".'));
    res.setHeader('Content-Disposition', `attachment; filename="transcript-${id}.json"`);
    res.json({ conversation, messages });
  });

  // Erasing is for good: only our own console may post (SameSite=Strict does not stop a form on a
  // sibling subdomain, which is the same site, and urlencoded forms need no CORS preflight).
  router.post('/agent/api/shoppers/*path', (req, res, next) => {
    if (isOriginAllowed(req, [])) return next();
    res.status(ERRORS.origin_forbidden.http).json({ error: { code: 'origin_forbidden', message: 'Export or erase shoppers from the console served by this server.' } });
  });
  const shoppers = deps.store.shoppers;
  const shopperEmail = (body: unknown): string => {
    const email = (body as { email?: unknown } | undefined)?.email;
    if (typeof email !== 'string' || !email.includes('@') || email.length > 256) throw new AtentoError('bad_frame', 'Send {"email": "the e-mail the shopper gave"}.');
    return email;
  };
  router.post('/agent/api/shoppers/export', requireRole(deps.agents, 'admin'), async (req, res) => {
    res.json(await shoppers.export(shopperEmail(req.body)));
  });
  router.post('/agent/api/shoppers/forget', requireRole(deps.agents, 'admin'), async (req, res) => {
    const email = shopperEmail(req.body);
    const { shopper, ...counts } = await shoppers.forget(email);
    await committed(deps.store);
    const agentId = sessionAgentOf(res).id;
    deps.log.info({ ...counts, shopper, agentId }, `forgot ${counts.conversations} conversations, ${counts.messages} messages, ${counts.tickets} tickets for shopper ${shopper} (by agent ${agentId})`);
    res.json({ forgotten: counts });
  });

  return router;
}

async function allMessages(store: Store, conversationId: string): Promise<StoredMessage[]> {
  const messages: StoredMessage[] = [];
  for (;;) {
    const page = await store.messages.listAfter(conversationId, messages.at(-1)?.id ?? 0);
    messages.push(...page);
    if (page.length === 0) return messages;
  }
}

const CSV_COLUMNS = ['id', 'createdAt', 'sender', 'kind', 'authorName', 'entryId', 'confidence', 'text'] as const;

/** RFC 4180; a cell starting with = + - @ is prefixed with ' so a spreadsheet never runs it as a formula. */
export function transcriptCsv(messages: StoredMessage[]): string {
  const cell = (value: unknown): string => {
    let text = value === null || value === undefined ? '' : String(value);
    if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
    return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  };
  const rows = messages.map((message) => CSV_COLUMNS.map((column) => cell((message as unknown as Record<string, unknown>)[column])).join(','));
  return [CSV_COLUMNS.join(','), ...rows].join('\r\n') + '\r\n';
}
