import type { Choice } from '../../src/engine/types';
import type { MessageOut, ServerFrame, WelcomeFrame } from '../../src/channels/protocol';
import { newClientMessageId } from './client-id';
import { Connection, SessionStore } from './connection';
import { chooseUiLang, UI_TEXT, type UiLang, type UiText } from './i18n';
import { isRatingQuestion, ratingCard, ratingSaved } from './rating';
import { renderRichText } from './rich-text';
import { WIDGET_CSS } from './styles';

/**
 * Atento's chat bubble. Embedded with one tag:
 *   <script src="https://chat.shop.example/widget.js" data-lang="es" data-title="Mi tienda"
 *           data-color="#0f5f59" data-position="right" data-server="https://chat.shop.example" defer></script>
 */

/** Refusals that the same message may get past later (too long or malformed ones would be refused again). */
const RETRIABLE = new Set(['rate_limited', 'internal', 'unavailable']);
const CHAT_ICON = '<svg viewBox="0 0 24 24" aria-hidden="true"><path d="M4 3h16a2 2 0 0 1 2 2v11a2 2 0 0 1-2 2H9l-5 4v-4a2 2 0 0 1-2-2V5a2 2 0 0 1 2-2zm3 6v2h10V9H7zm0-3v2h10V6H7zm0 6v2h7v-2H7z"/></svg>';
const SEND_ICON = '<svg viewBox="0 0 24 24" aria-hidden="true"><path d="M3 20.5 21 12 3 3.5 3 10l12 2-12 2z"/></svg>';
const THUMB_UP = '<svg viewBox="0 0 24 24" aria-hidden="true"><path d="M1 21h4V9H1v12zm22-11a2 2 0 0 0-2-2h-6.3l1-4.6v-.3c0-.4-.2-.8-.5-1.1L14.2 1 7.6 7.6C7.2 8 7 8.4 7 9v10a2 2 0 0 0 2 2h9c.8 0 1.5-.5 1.8-1.2l3-7c.1-.3.2-.5.2-.8v-2z"/></svg>';
const THUMB_DOWN = '<svg viewBox="0 0 24 24" aria-hidden="true"><path d="M15 3H6c-.8 0-1.5.5-1.8 1.2l-3 7c-.1.3-.2.5-.2.8v2a2 2 0 0 0 2 2h6.3l-1 4.6v.3c0 .4.2.8.5 1.1L9.8 23l6.6-6.6c.4-.4.6-.9.6-1.4V5a2 2 0 0 0-2-2zm4 0v12h4V3h-4z"/></svg>';
const DEFAULT_COLOR = '#0f5f59';
const TYPING_IDLE_MS = 4000;
const HANDOFF_RETRY_MS = 15_000;
/** History frames follow the welcome in one burst; this long without one and the replay is over. */
const REPLAY_SETTLE_MS = 300;
/** Matches the full-screen layout in styles.ts. */
const FULL_SCREEN = '(max-width: 480px), (max-height: 500px)';
/** The leave-a-message form's "Cancelar" (src/handoff/ticket-form.ts): a question of the form carries it. */
const FORM_CANCEL = 'handoff:form_cancel';
/** Room left above a long reply shown from its start, like the log's own padding. */
const REPLY_TOP_MARGIN_PX = 12;

interface Options {
  server: string;
  lang: UiLang;
  /** data-title; without one, the widget's own word for "help" in the language it speaks. */
  title?: string;
  color: string;
  position: 'left' | 'right';
  /** The shop's logged-in user, signed by the shop's server (data-user-id, -email, -name, -hash). */
  user?: { id: string; email?: string; name?: string; hash: string };
}

function readOptions(script: HTMLScriptElement | null): Options {
  const data = script?.dataset ?? {};
  const server = data.server ?? (script?.src ? new URL(script.src, location.href).origin : location.origin);
  const color = data.color && /^#[0-9a-f]{3}([0-9a-f]{3})?$/i.test(data.color) ? data.color : DEFAULT_COLOR;
  const lang = chooseUiLang(data.lang, document.documentElement.lang);
  // Sent even without a hash, so the server can say what is wrong (identity_invalid) instead of silence.
  const user = data.userId ? { id: data.userId, hash: data.userHash ?? '', ...(data.userEmail && { email: data.userEmail }), ...(data.userName && { name: data.userName }) } : undefined;
  return { server, lang, title: data.title, color, position: data.position === 'left' ? 'left' : 'right', user };
}

/** Black or white, whichever reads better on the shop's colour (WCAG relative luminance). */
function textColorOn(hex: string): string {
  const full = hex.length === 4 ? `#${[...hex.slice(1)].map((c) => c + c).join('')}` : hex;
  const [r, g, b] = [1, 3, 5].map((i) => {
    const c = parseInt(full.slice(i, i + 2), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  const luminance = 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
  return (1.05 / (luminance + 0.05)) >= ((luminance + 0.05) / 0.05) ? '#ffffff' : '#111111';
}

function el<K extends keyof HTMLElementTagNameMap>(tag: K, className?: string, text?: string): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  if (className) element.className = className;
  if (text !== undefined) element.textContent = text;
  return element;
}

/** A question's options once one is picked: none takes a second click, the picked one stays marked. */
function markAnswered(group: HTMLElement, picked: HTMLElement): void {
  for (const button of group.querySelectorAll('button')) {
    button.disabled = true;
    button.setAttribute('aria-pressed', String(button === picked));
  }
}

class ChatWidget {
  private lang: UiLang;
  private t: UiText;
  private readonly root = el('div', 'root');
  private readonly launcher = el('button', 'launcher');
  private readonly badge = el('span', 'badge');
  private readonly panel = el('section', 'panel');
  private readonly statusLine = el('p', 'status');
  private readonly log = el('div', 'log');
  private readonly typing = el('div', 'typing');
  private readonly notice = el('p', 'notice');
  private readonly humanButton = el('button', 'human');
  private readonly input = el('textarea');
  private readonly title = el('h2');
  private readonly closeButton = el('button', 'close', '×');
  private readonly typingText = el('span');
  private readonly inputLabel = el('label', 'sr-only');
  private readonly sendButton = el('button', 'send');
  private readonly announcer = el('p', 'sr-only');
  private readonly connection: Connection;
  private readonly session: SessionStore;
  private readonly byId = new Map<number, HTMLElement>();
  private readonly pending = new Map<string, HTMLElement>();
  /** A picked option's bubble → its question's options: opened again if the pick is refused. */
  private readonly pickedFrom = new WeakMap<HTMLElement, HTMLElement>();
  /** A typed message's bubble → sending its text again, offered when the server refused it. */
  private readonly resendOf = new WeakMap<HTMLElement, () => void>();
  /** The newest question's options: a pick of one seen in history (a reload, another tab) answers them. */
  private newestOptions: HTMLElement | null = null;
  /** Messages the server shed (`busy`) that the connection is re-sending. */
  private readonly shed = new Set<string>();
  private conversationId: string | null = null;
  private status: WelcomeFrame['status'] = 'bot';
  /** The newest status frame, worded in the chat's language whenever it is shown (the language may change). */
  private statusFrame: Extract<ServerFrame, { type: 'status' }> | null = null;
  private unread = 0;
  private readUpTo: number;
  private typingSent = false;
  private typingTimer: ReturnType<typeof setTimeout> | undefined;
  private handoffTimer: ReturnType<typeof setTimeout> | undefined;
  private online = false;
  /** From the server: can a person take the chat now? The header says so honestly. */
  private agentsAvailable = true;
  /** The log is scrolled to its end; it stays there when the panel's layout changes (buttons appear, status grows). */
  private pinnedToEnd = true;
  private handoffWanted = false;
  private replayTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly fullScreen = window.matchMedia(FULL_SCREEN);

  constructor(private readonly options: Options) {
    this.session = new SessionStore(`atento:v1:${options.server}`);
    const saved = this.session.load();
    this.readUpTo = saved.readUpTo ?? 0;
    // The language the chat moved to stays after a reload, unless the shopper switched the page's own language since.
    this.lang = saved.lang && saved.pageLang === options.lang ? saved.lang : options.lang;
    this.t = UI_TEXT[this.lang];
    // The page path tells agents where the shopper is; query strings can carry personal data, so not those.
    this.connection = new Connection(options.server, this.session, () => ({ lang: this.lang, page: (location.origin + location.pathname).slice(0, 2000), ...(options.user && { user: options.user }) }), {
      frame: (frame) => this.onFrame(frame),
      state: (state) => this.onConnectionState(state),
    });
  }

  mount(): void {
    const host = el('div');
    host.id = 'atento-chat';
    const shadow = host.attachShadow({ mode: 'open' });
    // Constructable stylesheets work under a strict shop CSP (no 'unsafe-inline' needed).
    if ('adoptedStyleSheets' in shadow && typeof CSSStyleSheet !== 'undefined' && 'replaceSync' in CSSStyleSheet.prototype) {
      const sheet = new CSSStyleSheet();
      sheet.replaceSync(WIDGET_CSS);
      shadow.adoptedStyleSheets = [sheet];
    } else {
      shadow.appendChild(el('style', undefined, WIDGET_CSS));
    }
    this.root.style.setProperty('--atento-color', this.options.color);
    this.root.style.setProperty('--atento-on-color', textColorOn(this.options.color));
    this.root.dataset.position = this.options.position;
    this.build();
    shadow.appendChild(this.root);
    document.body.appendChild(host);

    const saved = this.session.load();
    // A returning shopper reconnects at once (to see replies that came while away); others on first open.
    if (saved.token) this.connection.start();
    if (saved.open) this.open(false);
  }

  private build(): void {
    this.launcher.type = 'button';
    this.launcher.innerHTML = CHAT_ICON;
    this.launcher.setAttribute('aria-expanded', 'false');
    this.launcher.setAttribute('aria-controls', 'atento-panel');
    this.badge.hidden = true;
    // The launcher's label carries the count; the digits alone would be read twice.
    this.badge.setAttribute('aria-hidden', 'true');
    this.launcher.appendChild(this.badge);
    this.launcher.addEventListener('click', () => (this.panel.hidden ? this.open(true) : this.close()));

    this.panel.id = 'atento-panel';
    this.panel.hidden = true;
    this.panel.setAttribute('role', 'dialog');
    this.panel.setAttribute('aria-labelledby', 'atento-title');
    // Not <header>: inside the shop's page it would be a second banner landmark (axe: landmark-no-duplicate-banner).
    const header = el('div', 'header');
    const heading = el('div', 'heading');
    this.title.id = 'atento-title';
    this.statusLine.setAttribute('aria-live', 'polite');
    heading.append(this.title, this.statusLine);
    this.closeButton.type = 'button';
    this.closeButton.addEventListener('click', () => this.close());
    header.append(heading, this.closeButton);

    this.log.setAttribute('role', 'log');
    this.log.setAttribute('aria-live', 'polite');
    this.log.tabIndex = 0;
    this.log.addEventListener('scroll', () => {
      this.pinnedToEnd = this.log.scrollHeight - this.log.scrollTop - this.log.clientHeight < 24;
    });
    // The human button and status line come and go below the log and shrink it: keep the last message in view.
    if (typeof ResizeObserver !== 'undefined') new ResizeObserver(() => this.pinnedToEnd && this.scrollToEnd()).observe(this.log);

    this.typing.hidden = true;
    this.typing.innerHTML = '<span class="dots" aria-hidden="true"><i></i><i></i><i></i></span>';
    this.typing.appendChild(this.typingText);

    this.notice.setAttribute('role', 'alert');
    this.notice.hidden = true;

    const actions = el('div', 'actions');
    this.humanButton.type = 'button';
    this.humanButton.addEventListener('click', () => this.requestHuman());
    actions.appendChild(this.humanButton);

    const form = el('form');
    this.inputLabel.htmlFor = 'atento-input';
    this.input.id = 'atento-input';
    this.input.rows = 1;
    this.input.maxLength = 2000;
    this.input.addEventListener('keydown', (event) => {
      if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
        event.preventDefault();
        form.requestSubmit();
      }
    });
    this.input.addEventListener('input', () => {
      this.fitInputToText();
      this.onInput();
    });
    // maxLength cuts a long paste without a word: say so, before the shopper sends half a message.
    this.input.addEventListener('paste', (event) => {
      const pasted = event.clipboardData?.getData('text') ?? '';
      const replaced = this.input.selectionEnd - this.input.selectionStart;
      if (this.input.value.length - replaced + pasted.length > this.input.maxLength) this.showNotice(this.t.pasteCut(this.input.maxLength));
    });
    this.sendButton.type = 'submit';
    this.sendButton.innerHTML = SEND_ICON;
    form.append(this.inputLabel, this.input, this.sendButton);
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      this.sendText();
    });

    this.panel.append(header, this.log, this.typing, this.notice, actions, form);
    this.panel.addEventListener('keydown', (event) => {
      if (event.key === 'Escape') this.close();
      if (event.key === 'Tab') this.keepTabInside(event);
    });
    this.panel.addEventListener('wheel', (event) => this.keepWheelInside(event), { passive: false });
    this.markModal();
    this.fullScreen.addEventListener('change', () => this.markModal());
    this.announcer.setAttribute('role', 'status');
    this.root.append(this.panel, this.launcher, this.announcer);
    this.label();
    this.statusLine.textContent = this.t.connecting;
  }

  /** The widget's own words, in the language it speaks now (the page's at first, then the bot's). */
  private label(): void {
    const t = this.t;
    this.root.lang = this.lang;
    this.title.textContent = this.options.title ?? t.title;
    this.log.setAttribute('aria-label', this.options.title ?? t.title);
    this.launcher.setAttribute('aria-label', this.launcherLabel());
    this.closeButton.setAttribute('aria-label', t.close);
    this.typingText.textContent = t.typing;
    this.inputLabel.textContent = t.inputLabel;
    this.input.placeholder = t.placeholder;
    this.sendButton.setAttribute('aria-label', t.send);
  }

  /**
   * A shopper who writes in the other language gets the bot's answers in it: the buttons, the status
   * and the placeholder follow, so the chat does not speak two languages at once.
   */
  private speak(lang: UiLang): void {
    if (lang === this.lang) return;
    this.lang = lang;
    this.t = UI_TEXT[lang];
    this.session.save({ lang, pageLang: this.options.lang });
    this.label();
    // Only the words: a request for a person in progress stays in progress.
    if (this.online) this.statusLine.textContent = this.statusText();
    this.humanButton.textContent = this.humanButton.getAttribute('aria-disabled') === 'true' ? this.t.humanRequested : this.t.human;
  }

  private launcherLabel(): string {
    if (!this.panel.hidden) return this.t.close;
    return this.unread === 0 ? this.t.open : `${this.t.open} (${this.t.newMessages(this.unread)})`;
  }

  /** Full screen, the panel hides the page: it is modal there, and Tab must not reach links behind it. */
  private markModal(): void {
    if (this.fullScreen.matches) this.panel.setAttribute('aria-modal', 'true');
    else this.panel.removeAttribute('aria-modal');
  }

  /** The focused element inside the widget's shadow root (document.activeElement is only the host). */
  private shadowFocus(): Element | null {
    return (this.root.getRootNode() as ShadowRoot).activeElement;
  }

  private keepTabInside(event: KeyboardEvent): void {
    if (!this.fullScreen.matches) return;
    const focusable = [...this.panel.querySelectorAll<HTMLElement>('button, textarea, a[href], [tabindex="0"]')].filter((element) => !element.closest('[hidden]') && element.getClientRects().length > 0);
    const first = focusable[0];
    const last = focusable[focusable.length - 1];
    if (!first || !last) return;
    const active = this.shadowFocus();
    if (event.shiftKey && active === first) {
      event.preventDefault();
      last.focus();
    } else if (!event.shiftKey && active === last) {
      event.preventDefault();
      first.focus();
    }
  }

  /**
   * Full screen, the page behind is hidden: a wheel over a part of the chat with nothing to scroll (the header,
   * a short conversation) would scroll it unseen. Boxes that can scroll keep theirs by overscroll-behavior (styles.ts).
   * Ctrl+wheel zooms: left alone.
   */
  private keepWheelInside(event: WheelEvent): void {
    if (!this.fullScreen.matches || event.ctrlKey) return;
    const scroller = (event.target as Element).closest('.log, textarea');
    if (!scroller || scroller.scrollHeight <= scroller.clientHeight) event.preventDefault();
  }

  private open(focus: boolean): void {
    this.panel.hidden = false;
    this.root.classList.add('open');
    this.launcher.setAttribute('aria-expanded', 'true');
    this.session.save({ open: true });
    this.setUnread(0);
    this.connection.start();
    this.scrollToEnd();
    if (focus) this.input.focus();
  }

  private close(): void {
    this.panel.hidden = true;
    this.root.classList.remove('open');
    this.launcher.setAttribute('aria-expanded', 'false');
    this.session.save({ open: false });
    this.setUnread(0);
    this.launcher.focus();
  }

  private setUnread(count: number): void {
    this.unread = count;
    this.badge.hidden = count === 0;
    this.badge.textContent = String(count);
    this.launcher.setAttribute('aria-label', this.launcherLabel());
    if (count === 0) this.markRead(this.connection.lastSeenId);
  }

  private markRead(messageId: number): void {
    if (messageId <= this.readUpTo) return;
    this.readUpTo = messageId;
    this.session.save({ readUpTo: messageId });
  }

  private onConnectionState(state: 'connecting' | 'online' | 'offline' | 'refused'): void {
    this.online = state === 'online';
    if (state === 'refused') {
      this.statusLine.textContent = this.t.unavailableHere;
      this.showTyping(false);
      this.input.disabled = true;
      this.sendButton.disabled = true;
      this.humanButton.hidden = true;
      return this.showNotice(this.t.unavailableHere);
    }
    if (state === 'online' && this.notice.textContent === this.t.reconnecting) this.notice.hidden = true;
    if (state === 'online') return this.renderStatus();
    // Once there is a chat, any way back to it is a reconnection, whatever the socket is doing now.
    this.statusLine.textContent = state === 'connecting' && this.conversationId === null ? this.t.connecting : this.t.reconnecting;
    // Cut off, the shopper hears nothing: "Escribiendo…" would promise an answer; a typing frame after the reconnect shows it again.
    this.showTyping(false);
  }

  private onFrame(frame: ServerFrame): void {
    switch (frame.type) {
      case 'welcome':
        return this.onWelcome(frame);
      case 'message':
        return this.onMessage(frame);
      case 'ack': {
        const bubble = this.pending.get(frame.clientMessageId);
        if (!bubble) return;
        // The notice stays while any shed message still waits for its retry.
        if (this.shed.delete(frame.clientMessageId) && this.shed.size === 0 && this.notice.textContent === this.t.errors.busy) this.notice.hidden = true;
        this.pending.delete(frame.clientMessageId);
        this.markSent(bubble);
        bubble.dataset.id = String(frame.messageId);
        this.byId.set(frame.messageId, bubble);
        return;
      }
      case 'status':
        this.status = frame.state;
        if (frame.agentsAvailable !== undefined) this.agentsAvailable = frame.agentsAvailable;
        this.statusFrame = frame;
        if (frame.state !== 'bot') this.showTyping(false);
        return this.renderStatus();
      case 'typing':
        return this.showTyping(frame.isTyping);
      case 'feedback_saved':
        return this.showVote(frame.messageId, frame.helpful);
      case 'csat_saved': {
        const card = this.byId.get(frame.messageId)?.querySelector('.rating');
        if (!card) return;
        const hadFocus = card.contains(this.shadowFocus());
        ratingSaved(card, frame.rating, this.t);
        // The card (and its send button, just pressed) is gone: the message box, not the page behind.
        if (hadFocus) this.input.focus();
        return this.scrollToEnd();
      }
      case 'error':
        return this.onError(frame);
    }
  }

  private onWelcome(frame: WelcomeFrame): void {
    if (frame.resumed) this.replaying();
    this.agentsAvailable = frame.agentsAvailable;
    if (this.conversationId === frame.conversationId) {
      // A reconnect: the missed history follows (de-duplicated by id); who holds the chat may have changed.
      if (frame.status !== this.status) {
        this.status = frame.status;
        this.statusFrame = null;
      }
      this.renderStatus();
    } else {
      if (this.conversationId !== null) {
        // The old session could not be resumed: start a clean transcript, keeping what is still being sent.
        this.log.replaceChildren();
        this.byId.clear();
      }
      this.conversationId = frame.conversationId;
      this.status = frame.status;
      this.statusFrame = null;
      this.input.maxLength = frame.maxMessageChars;
      const greeting = this.addMessageElement('bot', frame.greeting);
      if (frame.suggestions.length > 0) greeting.appendChild(this.choiceButtons(frame.suggestions, this.t.suggestions));
      this.log.append(...this.pending.values());
      this.renderStatus();
    }
    if (this.handoffWanted) {
      this.handoffWanted = false;
      if (this.status === 'bot' || this.status === 'resolved') this.requestHuman();
    }
  }

  /** Screen readers wait for the replayed history instead of reading it out message by message. */
  private replaying(): void {
    this.log.setAttribute('aria-busy', 'true');
    clearTimeout(this.replayTimer);
    this.replayTimer = setTimeout(() => this.log.setAttribute('aria-busy', 'false'), REPLAY_SETTLE_MS);
  }

  private isReplaying(): boolean {
    return this.log.getAttribute('aria-busy') === 'true';
  }

  private onMessage(frame: MessageOut): void {
    if (this.isReplaying()) this.replaying();
    if (this.byId.has(frame.id)) return;
    // This tab's own message comes back only in a resumed history (its ack was lost with the old socket).
    const pending = frame.clientMessageId ? this.pending.get(frame.clientMessageId) : undefined;
    if (pending) {
      this.pending.delete(frame.clientMessageId!);
      this.markSent(pending);
      this.byId.set(frame.id, pending);
      return;
    }
    if (frame.from === 'bot' && frame.lang) this.speak(frame.lang);
    if (frame.from === 'bot') this.retireFormQuestions();
    const element = this.addMessageElement(frame.from, frame.text, frame.authorName);
    // Read with the right voice when the chat changed language part-way.
    if (frame.lang) element.lang = frame.lang;
    element.dataset.id = String(frame.id);
    this.byId.set(frame.id, element);
    if (frame.from === 'bot' || frame.from === 'agent') this.showTyping(false);
    if (isRatingQuestion(frame.options)) {
      element.appendChild(ratingCard(frame.id, this.t, (out) => this.connection.sendNow(out) || (this.showOffline(), false)));
    } else if (frame.options?.length) element.appendChild((this.newestOptions = this.choiceButtons(frame.options, undefined, { once: true })));
    if (frame.from === 'shopper') this.answerOptionsWith(frame.text);
    if (frame.related?.length) element.appendChild(this.choiceButtons(frame.related, this.t.related));
    // Only FAQ answers: "was this helpful?" after "hola" or "gracias" makes no sense.
    if (frame.from === 'bot' && frame.action === 'answer' && frame.entryKind === 'faq') element.appendChild(this.feedbackButtons(frame.id));
    // Again, now that the buttons made it taller. The replayed history lands at its end, as the shopper left it.
    if (frame.from === 'shopper' || this.isReplaying()) this.scrollToEnd();
    else this.showReply(element);
    if (!this.panel.hidden) this.markRead(frame.id);
    else if (frame.from !== 'shopper' && frame.id > this.readUpTo) {
      this.setUnread(this.unread + 1);
      // With the chat closed the log is hidden: said here instead, unless it is history being replayed.
      if (!this.isReplaying()) this.announcer.textContent = this.t.newMessages(this.unread);
    }
  }

  private onError(frame: Extract<ServerFrame, { type: 'error' }>): void {
    if (frame.code === 'session_invalid') return; // a fresh conversation follows at once
    if (frame.code === 'identity_invalid') {
      // The shop's page is misconfigured, not the shopper's doing: they chat on as a visitor.
      console.warn(`Atento: data-user-hash is not the HMAC-SHA256 of data-user-id with ATENTO_IDENTITY_SECRET; chatting as an anonymous visitor. ${frame.message}`);
      return;
    }
    const known = this.t.errors as Record<string, string>;
    this.showNotice(known[frame.code] ?? this.t.errors.generic);
    // Shed under load: the connection re-sends it, so the bubble stays "sending".
    if (frame.code === 'busy') {
      if (frame.clientMessageId) this.shed.add(frame.clientMessageId);
      return;
    }
    this.showTyping(false);
    const bubble = frame.clientMessageId ? this.pending.get(frame.clientMessageId) : undefined;
    if (bubble) {
      this.pending.delete(frame.clientMessageId!);
      this.markSent(bubble);
      bubble.classList.add('failed');
      bubble.appendChild(el('span', 'author', this.t.notSent));
      if (RETRIABLE.has(frame.code)) this.offerRetry(bubble);
      // A refused pick answered nothing: the question's options are open again.
      for (const option of this.pickedFrom.get(bubble)?.querySelectorAll('button') ?? []) {
        option.disabled = false;
        option.removeAttribute('aria-pressed');
      }
    }
  }

  private addMessageElement(from: MessageOut['from'], text: string, authorName?: string): HTMLElement {
    const message = el('div', `msg from-${from}`);
    const who = from === 'shopper' ? this.t.you : from === 'agent' ? authorName ?? this.t.agent : from === 'bot' ? this.t.bot : '';
    if (from === 'agent') message.appendChild(el('span', 'author', who));
    const bubble = el('div', 'bubble');
    if (from !== 'agent' && who) bubble.appendChild(el('span', 'sr-only', `${who}: `));
    if (from === 'shopper') bubble.appendChild(document.createTextNode(text));
    else bubble.appendChild(renderRichText(text));
    message.appendChild(bubble);
    this.log.appendChild(message);
    this.scrollToEnd();
    return message;
  }

  /** `once`: a question's options ("did you mean…?", a form's choices) are answered once; related questions stay. */
  private choiceButtons(choices: Choice[], heading?: string, { once = false } = {}): HTMLElement {
    const group = el('div', 'choices');
    group.setAttribute('role', 'group');
    if (heading) group.appendChild(el('p', undefined, heading));
    // A "did you mean…?" question's buttons have no heading of their own: the group is still named.
    group.setAttribute('aria-label', heading ?? this.t.options);
    if (once && choices.some((choice) => choice.id === FORM_CANCEL)) group.dataset.formQuestion = '';
    for (const choice of choices) {
      const button = el('button', 'chip', choice.label);
      button.type = 'button';
      button.addEventListener('click', () => {
        const bubble = this.sendChoice(choice);
        if (!once) return;
        this.pickedFrom.set(bubble, group);
        markAnswered(group, button);
      });
      group.appendChild(button);
    }
    return group;
  }

  /** A shopper message that is one of the newest options' labels was that pick: shown answered, as it was live. */
  private answerOptionsWith(text: string): void {
    const options = this.newestOptions;
    this.newestOptions = null;
    const picked = [...(options?.querySelectorAll('button') ?? [])].find((button) => button.textContent === text);
    if (options && picked) markAnswered(options, picked);
  }

  /**
   * The bot spoke again, so an earlier question of the leave-a-message form is behind it (answered, or put
   * aside for another question): its "Cancelar" would cancel nothing, and only adds Tab stops. The form's
   * current question, when the shopper comes back to it, brings its own buttons.
   */
  private retireFormQuestions(): void {
    for (const group of this.log.querySelectorAll<HTMLElement>('.choices[data-form-question]')) {
      for (const button of group.querySelectorAll('button')) button.disabled = true;
      delete group.dataset.formQuestion;
    }
  }

  private feedbackButtons(messageId: number): HTMLElement {
    const row = el('div', 'feedback');
    row.appendChild(el('span', undefined, this.t.helpful));
    for (const { helpful, icon, name } of [
      { helpful: true, icon: THUMB_UP, name: this.t.yes },
      { helpful: false, icon: THUMB_DOWN, name: this.t.no },
    ]) {
      const button = el('button', 'thumb');
      button.innerHTML = icon;
      button.type = 'button';
      button.setAttribute('aria-label', name);
      button.setAttribute('aria-pressed', 'false');
      button.dataset.helpful = String(helpful);
      button.addEventListener('click', () => {
        if (!this.connection.sendNow({ type: 'feedback', messageId, helpful })) return this.showOffline();
        this.showVote(messageId, helpful);
      });
      row.appendChild(button);
    }
    return row;
  }

  private showVote(messageId: number, helpful: boolean): void {
    const row = this.byId.get(messageId)?.querySelector('.feedback');
    if (!row) return;
    for (const button of row.querySelectorAll<HTMLElement>('.thumb')) button.setAttribute('aria-pressed', String(button.dataset.helpful === String(helpful)));
    row.querySelector('span')!.textContent = this.t.thanks;
  }

  private sendText(): void {
    const text = this.input.value.trim();
    if (!text) return;
    this.input.value = '';
    this.fitInputToText();
    this.stopTyping();
    this.sendMessage(text);
  }

  private sendMessage(text: string): void {
    const clientMessageId = newClientMessageId();
    const bubble = this.addPending(clientMessageId, text);
    this.resendOf.set(bubble, () => this.sendMessage(text));
    this.connection.sendReliable({ type: 'message', clientMessageId, text });
  }

  /** A refused message can go again in one click, as a new message (a refused pick reopens its options instead). */
  private offerRetry(bubble: HTMLElement): void {
    const resend = this.resendOf.get(bubble);
    if (!resend) return;
    const retry = el('button', 'retry', this.t.retry);
    retry.type = 'button';
    retry.addEventListener('click', () => {
      bubble.remove();
      resend();
    });
    bubble.appendChild(retry);
  }

  private sendChoice(choice: Choice): HTMLElement {
    const clientMessageId = newClientMessageId();
    const bubble = this.addPending(clientMessageId, choice.label);
    this.connection.sendReliable({ type: 'choice', clientMessageId, id: choice.id });
    this.input.focus();
    return bubble;
  }

  private addPending(clientMessageId: string, text: string): HTMLElement {
    this.notice.hidden = true;
    const bubble = this.addMessageElement('shopper', text);
    bubble.classList.add('pending');
    bubble.appendChild(el('span', 'author sending', this.t.sending));
    this.pending.set(clientMessageId, bubble);
    // Offline, the message waits ("Enviando…"): nobody is answering it yet.
    if (this.status === 'bot' && this.online) this.showTyping(true);
    return bubble;
  }

  private requestHuman(): void {
    if (this.humanButton.getAttribute('aria-disabled') === 'true') return;
    this.humanButton.setAttribute('aria-disabled', 'true');
    this.humanButton.textContent = this.t.humanRequested;
    if (!this.connection.sendNow({ type: 'handoff_request' })) {
      // Asked for once we are back online (see onWelcome).
      this.handoffWanted = true;
      return this.showOffline();
    }
    clearTimeout(this.handoffTimer);
    // Until the handoff service answers with a status, let the shopper try again later.
    this.handoffTimer = setTimeout(() => this.renderStatus(), HANDOFF_RETRY_MS);
  }

  private onInput(): void {
    if (this.status === 'bot') return; // the bot does not need to know
    if (!this.typingSent) this.typingSent = this.connection.sendNow({ type: 'typing', isTyping: true });
    clearTimeout(this.typingTimer);
    this.typingTimer = setTimeout(() => this.stopTyping(), TYPING_IDLE_MS);
  }

  /** The box grows with what is typed up to its CSS max-height, then scrolls; empty, it is one line again. */
  private fitInputToText(): void {
    this.input.style.height = 'auto';
    const borders = this.input.offsetHeight - this.input.clientHeight;
    this.input.style.height = `${this.input.scrollHeight + borders}px`;
  }

  private stopTyping(): void {
    clearTimeout(this.typingTimer);
    if (this.typingSent) this.connection.sendNow({ type: 'typing', isTyping: false });
    this.typingSent = false;
  }

  private markSent(message: HTMLElement): void {
    message.classList.remove('pending');
    message.querySelector('.sending')?.remove();
  }

  private showTyping(visible: boolean): void {
    this.typing.hidden = !visible;
    // Not when the shopper has scrolled away from the end, or is reading a long reply from its start.
    if (visible && this.pinnedToEnd) this.scrollToEnd();
  }

  private showOffline(): void {
    this.showNotice(this.t.reconnecting);
    this.connection.start();
  }

  private showNotice(text: string): void {
    this.notice.textContent = text;
    this.notice.hidden = false;
  }

  private describeStatus(frame: Extract<ServerFrame, { type: 'status' }>): string {
    const t = this.t;
    if (frame.state === 'waiting') {
      const parts = [t.waiting];
      if (frame.position) parts.push(t.position(frame.position));
      if (frame.etaSeconds !== undefined) parts.push(t.eta(Math.ceil(frame.etaSeconds / 60)));
      return parts.join(' ');
    }
    if (frame.state === 'agent') return t.withAgent(frame.agentName);
    if (frame.state === 'resolved') return t.resolved;
    return '';
  }

  private statusText(): string {
    return (this.statusFrame && this.describeStatus(this.statusFrame)) || (this.status === 'waiting' ? this.t.waiting : this.agentsAvailable ? this.t.botStatus : this.t.botStatusNobody);
  }

  private renderStatus(): void {
    clearTimeout(this.handoffTimer);
    const withPerson = this.status === 'waiting' || this.status === 'agent';
    if (this.online) this.statusLine.textContent = this.statusText();
    // Hidden while focused (the shopper just pressed it), focus would fall to the page behind the chat.
    if (withPerson && this.shadowFocus() === this.humanButton) this.input.focus();
    this.humanButton.hidden = withPerson;
    this.humanButton.setAttribute('aria-disabled', 'false');
    this.humanButton.textContent = this.t.human;
    // The status line and the button change the log's height: at once, not a frame later via the observer.
    if (this.pinnedToEnd) this.scrollToEnd();
  }

  /** A reply taller than the log is shown from its start: the shopper reads down through it instead of scrolling up to find it. */
  private showReply(reply: HTMLElement): void {
    this.scrollToEnd();
    const hiddenAbove = this.log.getBoundingClientRect().top - reply.getBoundingClientRect().top;
    if (hiddenAbove <= 0) return;
    this.log.scrollTop -= hiddenAbove + REPLY_TOP_MARGIN_PX;
    this.pinnedToEnd = false;
  }

  private scrollToEnd(): void {
    this.log.scrollTop = this.log.scrollHeight;
    this.pinnedToEnd = true;
  }
}

function start(): void {
  if (document.getElementById('atento-chat')) return; // the tag was included twice
  const script =
    (document.currentScript as HTMLScriptElement | null) ?? document.querySelector<HTMLScriptElement>('script[src*="widget.js"]');
  const widget = new ChatWidget(readOptions(script));
  if (document.body) widget.mount();
  else document.addEventListener('DOMContentLoaded', () => widget.mount(), { once: true });
}

start();
