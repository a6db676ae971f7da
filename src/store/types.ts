import type { Lang } from '../knowledge/types';
import type { Agent, AgentRole } from './agents';
import type { AnalyticsDay, AnalyticsFigures, AnalyticsPeriod, DayFigures } from './analytics';
import type { Channel, Conversation, ConversationStatus, VerifiedShopper } from './conversations';
import type { CsatRating } from './csat';
import type { Feedback } from './feedback';
import type { Handoff, HandoffOutcome } from './handoff';
import type { GapQueryOptions, GapQuestion } from './knowledge-gaps';
import type { LoginFailures } from './login-failures';
import type { NewMessage, StoredMessage } from './messages';
import type { ForgetResult, ShopperKey, ShopperRecord } from './shoppers';
import type { Ticket } from './tickets';
import type { UnansweredOptions, UnansweredQuestion } from './unanswered';

/**
 * The store's interface, the same for every backend (SQLite today, PostgreSQL next; docs/design.md,
 * "The store interface"). Every data call returns a Promise, so callers never depend on a backend being
 * synchronous. There is no generic transaction: each change that must be atomic is one operation named
 * after the domain (`handoffs.claim`, `tickets.leave`…), which a backend runs as one transaction.
 * Status changes are conditional: the caller's state machine (src/handoff/state.ts) says `from` → `to`,
 * and the store applies it only if the conversation is still `from`, so races are settled in the database.
 */
export interface Store {
  readonly conversations: ConversationStore;
  readonly messages: MessageStore;
  readonly feedback: FeedbackStore;
  readonly dialogState: DialogStateStore;
  readonly agents: AgentStore;
  readonly handoffs: HandoffStore;
  readonly tickets: TicketStore;
  readonly csat: CsatStore;
  readonly loginFailures: LoginFailureStore;
  readonly analytics: AnalyticsStore;
  readonly gaps: KnowledgeGapStore;
  readonly shoppers: ShopperStore;
  /** Shopper questions the bot could not answer well, grouped by normalized text (`atento kb unanswered`). */
  unanswered(options?: UnansweredOptions): Promise<UnansweredQuestion[]>;
  /**
   * Group commit, a hint: the writes issued from now until the end of this event-loop turn may share one
   * commit. A backend without group commit ignores it.
   */
  groupWrites(): void;
  /**
   * Runs `send` once every write issued so far is durable ("on disk before the ack"): at once when
   * nothing is pending, else after the commit that carries them. Acknowledgements go out through here.
   * If that commit fails, its writes are rolled back and `lost` is called instead: the caller must tell
   * its client (who holds the message) to send again. A backend whose writes fail one by one, each to
   * its own caller, never calls it.
   */
  afterCommit(send: () => void, lost?: (error: Error) => void): void;
  /** Whether the database answers (`/healthz`). */
  healthy(): Promise<boolean>;
  /** Commits what is pending and closes the connection(s). */
  close(): Promise<void>;
}

/** A status change the state machine decided; applied only if the conversation is still `from`. */
export interface StatusChange {
  from: ConversationStatus;
  to: ConversationStatus;
}

export interface ConversationStore {
  /** A new web conversation with the bot; ids are random UUIDs. */
  create(lang: Lang, page?: string | null): Promise<Conversation>;
  /** A conversation with a shopper on a messaging channel, known by their address there. */
  createOnChannel(channel: Exclude<Channel, 'web'>, channelUser: string, lang: Lang): Promise<Conversation>;
  /** The shopper's latest conversation on that channel. */
  latestOnChannel(channel: Exclude<Channel, 'web'>, channelUser: string): Promise<Conversation | undefined>;
  get(id: string): Promise<Conversation | undefined>;
  /** Applies a status change if the conversation is still `change.from`; false otherwise. */
  changeStatus(id: string, change: StatusChange): Promise<boolean>;
  setLang(id: string, lang: Lang): Promise<void>;
  setPage(id: string, page: string): Promise<void>;
  /** The verified shopper's most recent conversation, if it moved in the last `maxAgeSeconds`. */
  latestOfShopper(shopperId: string, maxAgeSeconds: number): Promise<Conversation | undefined>;
  /** Links a conversation to a verified shopper; the name and e-mail the shop vouches for replace typed ones. */
  setIdentity(id: string, identity: VerifiedShopper): Promise<void>;
  /** Records a name and/or e-mail the shopper or an agent typed (absent fields are kept). */
  setShopper(id: string, details: { name?: string; email?: string }): Promise<void>;
}

export interface MessageStore {
  /**
   * Stores a message (and moves the conversation's `updated_at`, except for a bot reply) and returns it
   * with its id, the resume cursor: ids grow in the order messages are stored.
   */
  insert(message: NewMessage): Promise<StoredMessage>;
  get(id: number): Promise<StoredMessage | undefined>;
  /** The message a client already sent with this id (a retry after a lost ack). */
  findByClientId(conversationId: string, clientMessageId: string): Promise<StoredMessage | undefined>;
  /** The latest message the shopper was shown (bot, agent or system; notes never). */
  lastShown(conversationId: string): Promise<StoredMessage | undefined>;
  /** When the shopper last wrote in the chat (not by e-mail), or null. */
  lastShopperAt(conversationId: string): Promise<string | null>;
  /** Messages after the cursor, oldest first, notes included (callers filter by audience); at most `limit` (the latest). */
  listAfter(conversationId: string, afterId?: number, limit?: number): Promise<StoredMessage[]>;
}

export interface FeedbackStore {
  /** The latest thumb wins; the first time is kept. */
  record(messageId: number, conversationId: string, helpful: boolean): Promise<void>;
  get(messageId: number): Promise<Feedback | undefined>;
  /** The thumbs given to these messages (a resumed history shows them as given). */
  votesOn(messageIds: readonly number[]): Promise<Array<{ messageId: number; helpful: boolean }>>;
}

/** JSON values by key, for dialog state (handoff memory, failed-turn marks). */
export interface DialogStateStore {
  read(key: string): Promise<unknown>;
  write(entries: Record<string, unknown>): Promise<void>;
  delete(keys: string[]): Promise<void>;
}

/** Agent accounts and their login sessions; only hashes are stored, of passwords and of session tokens. */
export interface AgentStore {
  /** E-mails are stored trimmed and lower-cased; rejects when the e-mail is taken (callers check `credentials` first). */
  create(details: { email: string; name: string; role: AgentRole; passwordHash: string }): Promise<Agent>;
  get(id: string): Promise<Agent | undefined>;
  /** The account and its password hash, for login only. */
  credentials(email: string): Promise<{ agent: Agent; passwordHash: string } | undefined>;
  /** False when no agent has that e-mail. */
  setRole(email: string, role: AgentRole): Promise<boolean>;
  /** Replaces the password hash and ends every session of the account, at once; false when no agent has that e-mail. */
  setPassword(email: string, passwordHash: string): Promise<boolean>;
  list(): Promise<Agent[]>;
  /**
   * Stores a session (and forgets expired ones), only while the account's password hash is still the one
   * the login checked: a password changed or an account disabled meanwhile starts none. False then.
   */
  createSession(tokenHash: string, agentId: string, expiresAt: string, passwordHash: string): Promise<boolean>;
  /** The agent of an unexpired session. */
  sessionAgent(tokenHash: string): Promise<Agent | undefined>;
  deleteSession(tokenHash: string): Promise<void>;
}

/** Result of `handoffs.claim`. */
export type ClaimResult = 'ok' | 'not_waiting' | 'already_taken';

/** The same shopper's other conversations (console's history). */
export interface PreviousConversation {
  id: string;
  createdAt: string;
  updatedAt: string;
  status: string;
  firstMessage: string | null;
  /** 'email': it only typed the same e-mail, which the console says; 'user': the same verified shop user. */
  matchedBy: 'email' | 'user';
}

/** A conversation the console's search found (`handoffs.findConversations`). */
export interface FoundConversation {
  id: string;
  createdAt: string;
  updatedAt: string;
  status: ConversationStatus;
  channel: Channel;
  shopperName: string | null;
  shopperEmail: string | null;
  /** The first message whose text has the words searched for; null when the name, e-mail or id matched. */
  matched: string | null;
}

/** How many of the newest conversations a search reads: a bounded cost, whatever the database's size. */
export const SEARCHED_CONVERSATIONS = 5_000;
/** How many a search returns, the newest first. */
export const FOUND_CONVERSATIONS = 20;

/**
 * The queue of conversations waiting for a person and who holds which. Each method that changes a
 * handoff and the conversation's status does both in one transaction, or neither.
 */
export interface HandoffStore {
  /**
   * Opens a handoff (the conversation enters the queue) and applies `status` (→ waiting). Null, changing
   * nothing, if the conversation is no longer `status.from` or already has an open handoff.
   */
  request(conversationId: string, details: { reason: string; lang: Lang }, status: StatusChange): Promise<Handoff | null>;
  /**
   * The agent takes a waiting conversation and `status` (waiting → agent) is applied. 'not_waiting': no
   * open handoff or the conversation is not `status.from`; 'already_taken': someone else holds it.
   */
  claim(conversationId: string, agentId: string, status: StatusChange): Promise<ClaimResult>;
  /**
   * Closes the open handoff with `outcome` and applies `status`. `heldBy`: the agent who must hold it
   * (resolve, hand back), or null for one nobody holds yet (the shopper left the queue). False, changing
   * nothing, when that does not match or the conversation is not `status.from`.
   */
  release(conversationId: string, release: { outcome: HandoffOutcome; heldBy: string | null }, status: StatusChange): Promise<boolean>;
  /** Back to the front of the queue (its agent left) with `status` (agent → waiting); false if `agentId` no longer holds it. */
  requeue(conversationId: string, agentId: string, status: StatusChange): Promise<boolean>;
  /** Hands a held conversation to another agent (status unchanged); false if `fromAgentId` no longer holds it. */
  transfer(conversationId: string, fromAgentId: string, toAgentId: string): Promise<boolean>;
  /** The conversation's open handoff. */
  current(conversationId: string): Promise<Handoff | undefined>;
  /** Waiting conversations, first in line first (requeued ones in front). */
  queue(): Promise<Handoff[]>;
  /** Open handoffs held by an agent, oldest assignment first. */
  assigned(): Promise<Handoff[]>;
  ofAgent(agentId: string): Promise<Handoff[]>;
  /** Median seconds agents kept the last 20 chats, or null with no history. */
  medianHandleSeconds(): Promise<number | null>;
  /** The shopper's latest message, for previews in the console's lists. */
  lastShopperText(conversationId: string): Promise<string | null>;
  /** The same shopper's other conversations, newest first (at most 10); none without an e-mail or user id. */
  previousConversations(shopper: { email: string | null; shopperId: string | null }, excludeConversationId: string): Promise<PreviousConversation[]>;
  /**
   * The console's search: of the newest SEARCHED_CONVERSATIONS conversations, those whose shopper name or
   * e-mail, or a shopper, bot or agent message (not a note), contains `text` (case-insensitive; accents
   * count: "envio" does not find "envío"), or whose id is `text`; the most recently active first, at most
   * FOUND_CONVERSATIONS.
   */
  findConversations(text: string): Promise<FoundConversation[]>;
}

export interface NewTicket {
  conversationId: string;
  name: string;
  email: string;
  message: string;
  lang: Lang;
  reason: string;
}

/** Messages left for the team when nobody could take the chat. */
export interface TicketStore {
  create(ticket: NewTicket): Promise<Ticket>;
  /** A shopper left a message through the form: the ticket, and their name and e-mail on the conversation, in one transaction. */
  leave(ticket: NewTicket): Promise<Ticket>;
  /**
   * An agent's e-mail answer went out: marks the ticket answered (if still open) and stores `messages`
   * (the reply, the rating question) in one transaction; returns them stored, in order.
   */
  recordAnswer(ticketId: number, agentId: string, messages: NewMessage[]): Promise<StoredMessage[]>;
  open(): Promise<Ticket[]>;
  get(id: number): Promise<Ticket | undefined>;
  /** Open tickets (oldest first), then those answered since `answeredSince` (newest first); at most 200. */
  listed(answeredSince: string): Promise<Ticket[]>;
  /** Closes an open ticket without an answer; false if it was not open. */
  close(id: number, agentId: string): Promise<boolean>;
}

export interface CsatStore {
  /** One rating per question (a shopper may change it); rates the agent who last held the chat, else who answered its ticket. */
  record(rating: Pick<CsatRating, 'requestId' | 'conversationId' | 'rating' | 'comment'>): Promise<CsatRating>;
  ofConversation(conversationId: string): Promise<CsatRating[]>;
}

/** Failed agent logins per throttle key (keys are hashed at rest). */
export interface LoginFailureStore {
  get(key: string): Promise<LoginFailures | undefined>;
  /** One more failure for each key, and forgets keys quiet since `forgetBeforeMs`, in one transaction. */
  record(keys: string[], atMs: number, forgetBeforeMs: number): Promise<void>;
  clear(key: string): Promise<void>;
  /** One failure fewer (the attempt was counted before its password turned out right). */
  forgiveOne(key: string): Promise<void>;
  size(): Promise<number>;
}

/** The analytics page's figures (docs/analytics.md), in parts so a caller can yield between them. */
export interface AnalyticsStore {
  /** Conversations and containment for these days: the costliest part. */
  dayFigures(days: readonly AnalyticsDay[], lang: Lang | null): Promise<DayFigures[]>;
  handoffFigures(period: AnalyticsPeriod): Promise<Pick<AnalyticsFigures, 'reasons' | 'handoffs' | 'firstReply' | 'handling' | 'csat' | 'tickets'>>;
  answerFigures(period: AnalyticsPeriod): Promise<Pick<AnalyticsFigures, 'entries'>>;
  questionFigures(period: AnalyticsPeriod): Promise<Pick<AnalyticsFigures, 'questions' | 'fallbacks' | 'clarifications'>>;
  figures(period: AnalyticsPeriod): Promise<AnalyticsFigures>;
}

/** Questions the bot did not answer well, and the groups an editor marked handled (src/gaps). */
export interface KnowledgeGapStore {
  /** Newest first. */
  questions(options: GapQueryOptions): Promise<GapQuestion[]>;
  /** When each term key was last marked handled: "lang term key" → ISO time. */
  handled(): Promise<Map<string, string>>;
  /** Marks these term keys handled now; returns the time stored. */
  markHandled(lang: Lang, termKeys: readonly string[], agentId: string | null): Promise<string>;
}

/** Everything stored about one shopper, for data-protection requests (`atento shopper`, the team page). */
export interface ShopperStore {
  export(key: ShopperKey): Promise<ShopperRecord>;
  /** Deletes the shopper's conversations and all that hangs from them, in one transaction. */
  forget(key: ShopperKey): Promise<ForgetResult>;
}
