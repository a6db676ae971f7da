export { HandoffService, type HandoffDeps, type AgentUpdate, type ShopperStatus, type Availability, type AgentActionError, type AgentActionResult } from './service';
export { assessTurn, readOfferAnswer, OFFER_ACCEPT, OFFER_DECLINE, LEAVE_MESSAGE, type EscalationReason, type PolicyDecision } from './policy';
export { readSentiment } from './sentiment';
export { isWithinBusinessHours, nextOpening, replyDeadline, type ShopMoment } from './hours';
export { pickAgent, estimateWaitSeconds } from './routing';
export { nextStatus, type HandoffEvent } from './state';
export { stepTicketForm, understand, nameIn, isValidEmail, FORM_CANCEL, FORM_CHANGE_EMAIL, type TicketForm, type Understanding } from './ticket-form';
export { realTimers, type Timers } from './presence';
export { ConsoleViews } from './views';
