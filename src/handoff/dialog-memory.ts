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
}

/** Kept in the store's dialog_state table, so a form or an offer survives a restart. */
export class DialogMemory {
  constructor(private readonly store: Store) {}

  read(conversationId: string): HandoffDialog {
    return (this.store.dialogState.read(key(conversationId)) as HandoffDialog | undefined) ?? { lowConfidenceStreak: 0 };
  }

  /** The default state is stored as no row: every bot turn writes here, most change nothing. */
  write(conversationId: string, dialog: HandoffDialog): void {
    if (isDefault(dialog)) this.store.dialogState.delete([key(conversationId)]);
    else this.store.dialogState.write({ [key(conversationId)]: dialog });
  }
}

function isDefault(dialog: HandoffDialog): boolean {
  return dialog.lowConfidenceStreak === 0 && !dialog.offerPending && !dialog.form && !dialog.formReason && !dialog.leaveOffered && !dialog.reofferForm;
}

function key(conversationId: string): string {
  return `handoff:${conversationId}`;
}
