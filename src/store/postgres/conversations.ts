import crypto from 'node:crypto';
import type { ConversationStore } from '../types';
import type { Db } from './pool';
import { toConversation, type ConversationRow } from '../conversations';

/**
 * Records a name and/or e-mail the shopper or an agent typed (absent fields are kept); also used by
 * tickets.leave. As on SQLite (src/store/conversations.ts): on a verified shopper's conversation, only fills what is empty.
 */
export const SET_SHOPPER = `UPDATE conversations SET
  shopper_name = CASE WHEN shopper_id IS NULL THEN coalesce($1, shopper_name) ELSE coalesce(shopper_name, $1) END,
  shopper_email = CASE WHEN shopper_id IS NULL THEN coalesce($2, shopper_email) ELSE coalesce(shopper_email, $2) END,
  updated_at = $3 WHERE id = $4`;

export function conversationStore(db: Db, now: () => string): ConversationStore {
  const one = async (text: string, params: unknown[]) => {
    const [row] = await db.rows<ConversationRow>(text, params);
    return row && toConversation(row);
  };
  return {
    async create(lang, page = null) {
      const at = now();
      const { rows } = await db.write<ConversationRow>(
        "INSERT INTO conversations (id, status, lang, page, created_at, updated_at) VALUES ($1, 'bot', $2, $3, $4, $4) RETURNING *",
        [crypto.randomUUID(), lang, page, at],
      );
      return toConversation(rows[0]!);
    },
    async createOnChannel(channel, channelUser, lang) {
      const at = now();
      const { rows } = await db.write<ConversationRow>(
        "INSERT INTO conversations (id, status, lang, channel, channel_user, created_at, updated_at) VALUES ($1, 'bot', $2, $3, $4, $5, $5) RETURNING *",
        [crypto.randomUUID(), lang, channel, channelUser, at],
      );
      return toConversation(rows[0]!);
    },
    latestOnChannel: (channel, channelUser) =>
      one('SELECT * FROM conversations WHERE channel = $1 AND channel_user = $2 ORDER BY updated_at DESC LIMIT 1', [channel, channelUser]),
    get: (id) => one('SELECT * FROM conversations WHERE id = $1', [id]),
    async changeStatus(id, change) {
      const { rowCount } = await db.write('UPDATE conversations SET status = $1, updated_at = $2 WHERE id = $3 AND status = $4', [change.to, now(), id, change.from]);
      return rowCount === 1;
    },
    async setLang(id, lang) {
      await db.write('UPDATE conversations SET lang = $1, updated_at = $2 WHERE id = $3', [lang, now(), id]);
    },
    async setPage(id, page) {
      await db.write('UPDATE conversations SET page = $1 WHERE id = $2', [page, id]);
    },
    latestOfShopper(shopperId, maxAgeSeconds) {
      const since = new Date(Date.parse(now()) - maxAgeSeconds * 1000).toISOString();
      return one('SELECT * FROM conversations WHERE shopper_id = $1 AND updated_at >= $2 ORDER BY updated_at DESC LIMIT 1', [shopperId, since]);
    },
    async setIdentity(id, identity) {
      await db.write(
        'UPDATE conversations SET shopper_id = $1, shopper_name = coalesce($2, shopper_name), shopper_email = coalesce($3, shopper_email), updated_at = $4 WHERE id = $5',
        [identity.id, identity.name ?? null, identity.email ?? null, now(), id],
      );
    },
    async setShopper(id, details) {
      await db.write(SET_SHOPPER, [details.name ?? null, details.email ?? null, now(), id]);
    },
  };
}
