export { CHANNELS, CONVERSATION_STATUSES, type Channel, type Conversation, type ConversationStatus, type VerifiedShopper } from './conversations';
export { HISTORY_LIMIT, type MessageKind, type NewMessage, type Sender, type StoredMessage } from './messages';
export type { Feedback } from './feedback';
export { MIGRATIONS, migrate, type Migration } from './migrations';
export type { GapQuestion, GapQueryOptions } from './knowledge-gaps';
export type { UnansweredOptions, UnansweredQuestion } from './unanswered';
export { AGENT_ROLES, roleAllows, type Agent, type AgentRole } from './agents';
export type { Handoff, HandoffOutcome } from './handoff';
export type { Ticket } from './tickets';
export type { CsatRating } from './csat';
export type { LoginFailures } from './login-failures';
export type { ForgetResult, ShopperKey, ShopperRecord } from './shoppers';
export type { AnalyticsDay, AnalyticsFigures, AnalyticsPeriod, DayFigures, EntryFigures, Percentiles, ReasonFigures } from './analytics';
/** The backend-neutral interface: what the rest of Atento uses. */
export type * from './types';
/** The SQLite backend (the default). */
export { openStore, type SqliteStore, type StoreOptions } from './sqlite';
export type { Db } from './database';
export { committed } from './committed';
