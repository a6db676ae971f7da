import type { KnowledgeBase } from '../knowledge';
import type { EngineOptions } from './engine';
import type { RespondContext, TurnReply } from './types';

/** Messages between the event loop and the engine thread (structured clone: plain data only). */
export type ThreadRequest =
  | { type: 'build'; knowledge: KnowledgeBase; options: EngineOptions }
  | { type: 'respond'; messages: Array<{ text: string; context: RespondContext }> };

export type ThreadResponse =
  | { type: 'built'; version: string }
  /** In the order of the batch's messages, from the engine of `version`. */
  | { type: 'replies'; version: string; replies: TurnReply[] };
