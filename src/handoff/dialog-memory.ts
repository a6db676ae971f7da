import type { Store } from '../store';
import type { TicketForm } from './ticket-form';

/** Per-conversation memory of the handoff dialogue. */
export interface HandoffDialog {
  lowConfidenceStreak: number;
  offerPending?: boolean;
  form?: TicketForm;
  formReason?: string;
  /** Waiting with nobody online, the shopper was offered to leave a message (once per wait). */
  leaveOffered?: boolean;
  /** The shopper left the form for a question: after the bot's answer, offer the form again. */
  reofferForm?: boolean;
  /** What the form had when the shopper left it: taken up again there (a name is not asked twice). */
  pausedForm?: TicketForm;
}

/** Kept in the store's dialog_state table, so a form or an offer survives a restart. */
export class DialogMemory {
  constructor(private readonly store: Store) {}

  async read(conversationId: string): Promise<HandoffDialog> {
    return ((await this.store.dialogState.read(key(conversationId))) as HandoffDialog | undefined) ?? { lowConfidenceStreak: 0 };
  }

  /**
   * The default state is stored as no row: every bot turn writes here, most change nothing. Given the
   * state it was read as, a write that changes nothing touches no row (no delete of a missing row).
   */
  async write(conversationId: string, dialog: HandoffDialog, before?: HandoffDialog): Promise<void> {
    // Most turns go from the default state to the default state: no row, and nothing serialized to tell.
    if (isDefault(dialog)) {
      if (!before || !isDefault(before)) await this.store.dialogState.delete([key(conversationId)]);
      return;
    }
    if (before && JSON.stringify(before) === JSON.stringify(dialog)) return;
    await this.store.dialogState.write({ [key(conversationId)]: dialog });
  }
}

function isDefault(dialog: HandoffDialog): boolean {
  return dialog.lowConfidenceStreak === 0 && !dialog.offerPending && !dialog.form && !dialog.formReason && !dialog.leaveOffered && !dialog.reofferForm && !dialog.pausedForm;
}

function key(conversationId: string): string {
  return `handoff:${conversationId}`;
}
