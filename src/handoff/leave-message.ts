import type { Reply } from '../engine/types';
import type { Lang } from '../knowledge/types';
import type { Conversation, Store } from '../store';
import type { DialogMemory, HandoffDialog } from './dialog-memory';
import type { OptionButton, PostMessage } from './post';
import { LEAVE_MESSAGE } from './policy';
import { TEXTS } from './texts';
import { currentQuestion, FORM_CANCEL, FORM_CHANGE_EMAIL, stepTicketForm, understand, type TicketForm } from './ticket-form';

export interface LeaveMessageDeps {
  store: Store;
  memory: DialogMemory;
  post: PostMessage;
  answerThreshold: number;
  /** When a message left now is answered, in the shopper's language. */
  replyPromise: (lang: Lang) => string;
  agentsAvailable: () => boolean;
  /** The shopper asked for a person in the middle of the form. */
  requestHandoff: (conversationId: string) => Promise<void>;
  /** The consoles' ticket list must refresh. */
  ticketsChanged: () => void;
}

/**
 * The leave-a-message form, asked in the chat when nobody can take it: name, e-mail, message, then a
 * ticket. Its state lives in the conversation's dialog memory, so a question in between (answered by the
 * bot) or a restart does not lose what was already answered.
 */
export class LeaveMessageForm {
  constructor(private readonly deps: LeaveMessageDeps) {}

  async start(conversationId: string, lang: Lang, reason: string, why: string): Promise<void> {
    const form: TicketForm = { step: 'name' };
    await this.deps.memory.write(conversationId, { lowConfidenceStreak: 0, form, formReason: reason });
    const ask = TEXTS[lang].leaveMessage(this.deps.replyPromise(lang));
    await this.deps.post(conversationId, 'bot', why ? `${why} ${ask}` : ask, lang, { options: formButtons(form, lang) });
  }

  /** Asked for a person while the form is open and nobody can come: why not, and the question again. */
  async stillNobody(conversationId: string, form: TicketForm, lang: Lang, why: string): Promise<void> {
    await this.deps.post(conversationId, 'bot', `${TEXTS[lang].stillNobody(why)} ${currentQuestion(form, lang)}`, lang, { options: formButtons(form, lang) });
  }

  /** The shopper stepped out of the form (a question, a clicked FAQ): the bot answers, the form waits to be offered again. */
  async pause(conversationId: string, dialog: HandoffDialog): Promise<void> {
    await this.deps.memory.write(conversationId, { lowConfidenceStreak: 0, formReason: dialog.formReason, reofferForm: true, pausedForm: dialog.form });
  }

  /** "Dejar un mensaje" clicked while with the bot: the open or paused form where it was, else from the start. */
  async reopen(conversation: Conversation): Promise<void> {
    const dialog = await this.deps.memory.read(conversation.id);
    const form = await this.resume(conversation.id, dialog);
    if (form) {
      await this.deps.post(conversation.id, 'bot', currentQuestion(form, conversation.lang), conversation.lang, { options: formButtons(form, conversation.lang) });
      return;
    }
    await this.start(conversation.id, conversation.lang, dialog.formReason ?? 'button', '');
  }

  /** "Cancelar" after stepping out of the form: it is not taken up again. */
  async cancelPaused(conversationId: string, dialog: HandoffDialog, lang: Lang): Promise<void> {
    const { pausedForm, reofferForm, formReason, ...rest } = dialog;
    await this.deps.memory.write(conversationId, rest);
    await this.deps.post(conversationId, 'bot', TEXTS[lang].formCancelled, lang);
  }

  /** The form open again with what it had when the shopper stepped out of it; undefined if there is none. */
  async resume(conversationId: string, dialog: HandoffDialog): Promise<TicketForm | undefined> {
    if (dialog.form || !dialog.pausedForm) return dialog.form;
    const { pausedForm, reofferForm, ...rest } = dialog;
    await this.deps.memory.write(conversationId, { ...rest, form: pausedForm });
    return pausedForm;
  }

  /** One of the form's own buttons: cancel, or go back to fix the e-mail. */
  async button(conversation: Conversation, choiceId: string): Promise<void> {
    const { memory, post } = this.deps;
    const lang = conversation.lang;
    const dialog = await memory.read(conversation.id);
    const form = dialog.form;
    if (!form) {
      // A button of a form already sent or cancelled (it stays on screen): nothing starts behind the shopper's back.
      if (choiceId === FORM_CANCEL && dialog.pausedForm) await this.cancelPaused(conversation.id, dialog, lang);
      else if (choiceId === FORM_CANCEL) await post(conversation.id, 'bot', TEXTS[lang].nothingToCancel, lang);
      else await post(conversation.id, 'bot', TEXTS[lang].formClosed, lang, { options: [{ id: LEAVE_MESSAGE, label: TEXTS[lang].leaveMessageOption }] });
      return;
    }
    if (choiceId === FORM_CANCEL) {
      await memory.write(conversation.id, { lowConfidenceStreak: 0 });
      await post(conversation.id, 'bot', TEXTS[lang].formCancelled, lang);
      return;
    }
    const back: TicketForm = form.step === 'message' ? { step: 'email', name: form.name } : form;
    await memory.write(conversation.id, { ...dialog, form: back });
    await post(conversation.id, 'bot', currentQuestion(back, lang), lang, { options: formButtons(back, lang) });
  }

  /** One message while the form is open; false when it was not an answer and the bot should take it. */
  async step(conversation: Conversation, dialog: HandoffDialog, text: string, interpret?: () => Reply): Promise<boolean> {
    const { memory, post } = this.deps;
    const lang = conversation.lang;
    const reading = interpret ? understand(interpret(), this.deps.answerThreshold) : { confident: false, matchedTerms: 0, certain: false, humanRequest: false };
    const step = stepTicketForm(dialog.form!, text, lang, reading);
    if (step.kind === 'aside') {
      await this.pause(conversation.id, dialog);
      return false;
    }
    if (step.kind === 'handoff') {
      if (this.deps.agentsAvailable()) await memory.write(conversation.id, { lowConfidenceStreak: 0 });
      await this.deps.requestHandoff(conversation.id);
      return true;
    }
    if (step.kind === 'ask') {
      await memory.write(conversation.id, { ...dialog, form: step.form });
      await post(conversation.id, 'bot', step.text, lang, { options: formButtons(step.form, lang) });
      return true;
    }
    await memory.write(conversation.id, { lowConfidenceStreak: 0 });
    if (step.kind === 'cancelled') {
      await post(conversation.id, 'bot', step.text, lang);
      return true;
    }
    const ticket = await this.deps.store.tickets.leave({ conversationId: conversation.id, lang, reason: dialog.formReason ?? 'button', ...step.ticket });
    await post(conversation.id, 'bot', TEXTS[lang].ticketDone(ticket.id, ticket.email, this.deps.replyPromise(lang)), lang);
    this.deps.ticketsChanged();
    return true;
  }
}

/** The buttons under each of the form's questions: always a way out, and a way to fix the e-mail once shown. */
function formButtons(form: TicketForm, lang: Lang): OptionButton[] {
  const t = TEXTS[lang];
  const cancel = { id: FORM_CANCEL, label: t.formCancel };
  return form.step === 'message' ? [{ id: FORM_CHANGE_EMAIL, label: t.formChangeEmail }, cancel] : [cancel];
}
