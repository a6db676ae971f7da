import { conversationTable, type ConversationTable } from './conversations';
import { openDatabase, type Db } from './database';
import { dialogStateTable, type DialogStateTable } from './dialog-state';
import { feedbackTable, type FeedbackTable } from './feedback';
import { messageTable, type MessageTable } from './messages';

export { CONVERSATION_STATUSES, type Conversation, type ConversationStatus, type VerifiedShopper } from './conversations';
export { HISTORY_LIMIT, type MessageKind, type NewMessage, type Sender, type StoredMessage } from './messages';
export type { Feedback } from './feedback';
export { MIGRATIONS, migrate, type Migration } from './migrations';
export { unansweredQuestions, type UnansweredOptions, type UnansweredQuestion } from './unanswered';
export { openDatabase, type Db };

/** The only door to SQLite: every statement is prepared once, here, when the store opens. */
export interface Store {
  readonly db: Db;
  readonly conversations: ConversationTable;
  readonly messages: MessageTable;
  readonly feedback: FeedbackTable;
  readonly dialogState: DialogStateTable;
  /** Runs `work` in one transaction (synchronous: never await inside). */
  transaction<T>(work: () => T): T;
  healthy(): boolean;
  close(): void;
}

export function openStore(file: string, clock: () => Date = () => new Date()): Store {
  const db = openDatabase(file);
  const now = () => clock().toISOString();
  const ping = db.prepare('SELECT 1');
  return {
    db,
    conversations: conversationTable(db, now),
    messages: messageTable(db, now),
    feedback: feedbackTable(db, now),
    dialogState: dialogStateTable(db, now),
    transaction: (work) => db.transaction(work)(),
    healthy() {
      try {
        return ping.get() !== undefined;
      } catch {
        return false;
      }
    },
    close: () => db.close(),
  };
}
