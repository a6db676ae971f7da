import { conversationTable, type ConversationTable } from './conversations';
import { openDatabase, type Db } from './database';
import { dialogStateTable, type DialogStateTable } from './dialog-state';
import { feedbackTable, type FeedbackTable } from './feedback';
import { messageTable, type MessageTable } from './messages';

export { CHANNELS, CONVERSATION_STATUSES, type Channel, type Conversation, type ConversationStatus, type VerifiedShopper } from './conversations';
export { HISTORY_LIMIT, type MessageKind, type NewMessage, type Sender, type StoredMessage } from './messages';
export type { Feedback } from './feedback';
export { MIGRATIONS, migrate, type Migration } from './migrations';
export { knowledgeGapTable, type GapQuestion, type GapQueryOptions, type KnowledgeGapTable } from './knowledge-gaps';
export { unansweredQuestions, type UnansweredOptions, type UnansweredQuestion } from './unanswered';
export { openDatabase, type Db };
// The backend-neutral interface (src/store/types.ts); `Store` there replaces the one below once callers await.
export type {
  AgentStore, AnalyticsStore, ClaimResult, ConversationStore, CsatStore, DialogStateStore, FeedbackStore, HandoffStore,
  KnowledgeGapStore, LoginFailureStore, MessageStore, NewTicket, PreviousConversation, ShopperStore, StatusChange, TicketStore,
} from './types';

/** The only door to SQLite: every statement is prepared once, here, when the store opens. */
export interface Store {
  readonly db: Db;
  readonly conversations: ConversationTable;
  readonly messages: MessageTable;
  readonly feedback: FeedbackTable;
  readonly dialogState: DialogStateTable;
  /** Runs `work` in one transaction (synchronous: never await inside). */
  transaction<T>(work: () => T): T;
  /**
   * Group commit: the writes from now until the end of this event-loop turn share one transaction,
   * committed by a setImmediate. Acknowledgements and messages go out through `afterCommit`.
   */
  groupWrites(): void;
  /** Runs `send` once what was written so far is on disk (at once when no group is open). */
  afterCommit(send: () => void): void;
  healthy(): boolean;
  close(): void;
}

export interface StoreOptions {
  /** Told how long each group commit took, in seconds (for metrics). */
  onCommit?: (seconds: number) => void;
}

export function openStore(file: string, clock: () => Date = () => new Date(), options: StoreOptions = {}): Store {
  const db = openDatabase(file);
  const now = () => clock().toISOString();
  const ping = db.prepare('SELECT 1');
  const committed: Array<() => void> = [];
  let grouping = false;
  const commit = () => {
    grouping = false;
    const started = performance.now();
    db.exec('COMMIT');
    options.onCommit?.((performance.now() - started) / 1000);
    for (const send of committed.splice(0)) send();
  };
  return {
    db,
    conversations: conversationTable(db, now),
    messages: messageTable(db, now),
    feedback: feedbackTable(db, now),
    dialogState: dialogStateTable(db, now),
    transaction: (work) => db.transaction(work)(),
    groupWrites() {
      if (grouping || db.inTransaction) return;
      db.exec('BEGIN');
      grouping = true;
      setImmediate(commit);
    },
    afterCommit(send) {
      if (grouping) committed.push(send);
      else send();
    },
    healthy() {
      try {
        return ping.get() !== undefined;
      } catch {
        return false;
      }
    },
    close() {
      if (grouping) commit();
      db.close();
    },
  };
}
