import type { AgentItem, AgentMessage, AgentServerFrame, ChatItem, ConversationView, QueueItem, ShopperView, TicketItem } from '../../../src/channels/agent-protocol';
import type { CannedAnswer } from '../../../src/engine';
import { chatPreview } from '../../../src/handoff/preview';
import type { Channel } from '../../../src/store/conversations';
import { renderRichText } from '../../src/rich-text';
import { actionLabel, cardOpener, channelName, distinctNames, formatDate, formatTime, formatWait, h, keepingFocus, presenceLabel, reasonLabel, replaceChildren, shopperName } from './dom';
import { conversationsFound, findPanel, searchRefused, type FindContext } from './find';
import { consoleLang, errorText, t } from './i18n';
import { alertNewChat, clearTitleAlert } from './notify';
import { privacyPanel } from './privacy';
import { AgentSocket } from './socket';
import { teamStatus, wireTeamNav } from './team-nav';
import { ticketAnswered, ticketCard, ticketRefused, ticketReplyStored, ticketsInterrupted } from './tickets';

/**
 * The agent console: queue, my chats and tickets on the left; the open conversation in the middle
 * (transcript with the bot's FAQ ids and confidence, reply or internal note, canned answers); the
 * shopper's details and earlier conversations on the right. Vanilla DOM, state in one object.
 */

type ComposerMode = 'reply' | 'note';

/** An unsent message and the mode it is being written in: a half-written note must never come back as a reply. */
interface Draft {
  text: string;
  mode: ComposerMode;
}

interface OpenChat {
  view: ConversationView;
  shopperTyping: boolean;
  unread: number;
}

const state = {
  me: { id: '', name: document.body.dataset.agentName ?? '', role: document.body.dataset.agentRole ?? 'agent' },
  connection: 'connecting' as 'connecting' | 'online' | 'offline',
  queue: [] as QueueItem[],
  chats: [] as ChatItem[],
  tickets: [] as TicketItem[],
  agents: [] as AgentItem[],
  tab: 'chats' as 'queue' | 'chats' | 'tickets' | 'find',
  selected: null as string | null,
  open: new Map<string, OpenChat>(),
  /** The reply box's mode; each chat keeps its own with its draft. */
  mode: 'reply' as ComposerMode,
  results: [] as CannedAnswer[],
  notice: '',
  emailConfigured: false,
};

const TYPING_IDLE_MS = 3000;
let typingTimer: ReturnType<typeof setTimeout> | undefined;
let typingSentFor: string | null = null;
let sequence = 0;
let transferPicker: HTMLSelectElement | null = null;
let transferPick: { conversationId: string; agentId: string } | null = null;
/** Each chat's unsent reply (in memory only: it may hold an order number or an address), so switching chats neither carries it to another shopper nor loses it. */
const drafts = new Map<string, Draft>();
/** The chat the reply box writes to: what is in the box goes there, even if another card was picked meanwhile. */
let composerFor: string | null = null;
/** Replies sent but not yet acknowledged, by clientMessageId: a refused one goes back in the box. */
const unacknowledged = new Map<string, Draft & { conversationId: string }>();

const socket = new AgentSocket(onFrame, (connection) => {
  state.connection = connection;
  if (connection === 'offline' && ticketsInterrupted(t('ticket.interrupted'))) renderSidebar();
  // What was sent but not confirmed goes again on the reconnect (same ids, never twice): say so, so it is not typed again.
  if (connection === 'offline' && unacknowledged.size > 0) return notice(t('notice.willResend', { count: unacknowledged.size }));
  renderHeader();
});

// ——— Layout (built once; regions re-render) ———

const root = document.getElementById('console-root')!;
const header = teamStatus();
const noticeLine = h('p', { class: 'notice', role: 'status' });
/** Visually hidden: news from outside the selected chat (a shopper queued, a message in another chat), for screen readers. */
const announcer = h('p', { class: 'visually-hidden', role: 'status' });
const heading = h('h1', { class: 'visually-hidden' });
const tabs = h('div', { class: 'tabs', role: 'tablist' });
const list = h('div', { class: 'list', role: 'tabpanel', id: 'list-panel' });
const TAB_ORDER: Array<typeof state.tab> = ['queue', 'chats', 'tickets', 'find'];
tabs.addEventListener('keydown', (event) => {
  const index = TAB_ORDER.indexOf(state.tab);
  const next = { ArrowRight: index + 1, ArrowLeft: index - 1, Home: 0, End: TAB_ORDER.length - 1 }[event.key];
  if (next === undefined) return;
  event.preventDefault();
  state.tab = TAB_ORDER[(next + TAB_ORDER.length) % TAB_ORDER.length]!;
  renderSidebar();
  document.getElementById(`tab-${state.tab}`)?.focus();
});
const side = h('aside', { class: 'sidebar' }, tabs, list);
const chatHeader = h('div', { class: 'chat-header' });
// Focusable: a scrollable region the keyboard cannot reach cannot be read by keyboard users (axe: scrollable-region-focusable).
const transcript = h('ol', { class: 'transcript', 'aria-live': 'polite', tabindex: '0' });
const typingLine = h('p', { class: 'typing-line', 'aria-live': 'polite' });
// The server's default limits.maxMessageChars; the console page is not told a custom one.
const MAX_MESSAGE_CHARS = 2000;
const replyInput = h('textarea', { id: 'reply', rows: '3', maxlength: String(MAX_MESSAGE_CHARS) });
const modeReply = h('button', { type: 'button', class: 'mode', 'aria-pressed': 'true' });
const modeNote = h('button', { type: 'button', class: 'mode', 'aria-pressed': 'false' });
const sendButton = h('button', { type: 'submit', class: 'primary send' });
const modes = h('div', { class: 'composer-modes', role: 'group' }, modeReply, modeNote);
const hint = h('span', { class: 'hint' });
const composer = h('form', { class: 'composer' }, modes, replyInput, h('div', { class: 'composer-actions' }, hint, sendButton));
const cannedInput = h('input', { type: 'search', class: 'canned-search' });
const cannedList = h('ul', { class: 'canned-results' });
const cannedTitle = h('h2', {});
const canned = h('section', { class: 'canned' }, cannedTitle, cannedInput, cannedList);
const chatPane = h('section', { class: 'chat' }, chatHeader, transcript, typingLine, composer);
const details = h('aside', { class: 'details' });
const main = h('main', { class: 'workspace' }, heading, side, chatPane, h('div', { class: 'right' }, details, canned));
root.append(main, announcer);
// The first Tab stop: past the team bar and the lists, to where the agent writes (or reads, with no box).
const skipLink = h('a', { class: 'skip-link', href: '#reply' });
skipLink.addEventListener('click', (event) => {
  event.preventDefault();
  const target = replyInput.offsetParent !== null && !replyInput.disabled ? replyInput : state.selected ? transcript : document.getElementById(`tab-${state.tab}`);
  target?.focus();
});
document.body.prepend(skipLink);
const privacy = state.me.role === 'admin' ? privacyPanel() : null;
if (privacy) root.append(privacy.element);

/** The texts of the parts built once, in the agent's language (again after a switch). */
function labelLayout(): void {
  heading.textContent = t('nav.conversations');
  skipLink.textContent = t('skip.toChat');
  tabs.setAttribute('aria-label', t('lists.label'));
  // Two <aside>s: names tell the landmarks apart (axe: landmark-unique).
  side.setAttribute('aria-label', t('lists.label'));
  details.setAttribute('aria-label', t('details.customer'));
  transcript.setAttribute('aria-label', t('chat.label'));
  replyInput.setAttribute('aria-label', t('composer.label'));
  modeReply.textContent = t('composer.modeReply');
  modeNote.textContent = t('composer.modeNote');
  modes.setAttribute('aria-label', t('composer.modes'));
  hint.textContent = t('composer.hint');
  cannedInput.placeholder = t('canned.placeholder');
  cannedInput.setAttribute('aria-label', t('canned.label'));
  cannedTitle.textContent = t('canned.title');
  setMode(state.mode);
}

// ——— Frames ———

function onFrame(frame: AgentServerFrame): void {
  switch (frame.type) {
    case 'welcome':
      state.me = frame.agent;
      Object.assign(state, { queue: frame.queue, chats: frame.chats, tickets: frame.tickets, agents: frame.agents, emailConfigured: frame.emailConfigured });
      for (const chat of frame.chats) socket.send({ type: 'open', conversationId: chat.conversationId });
      // Sent before the connection dropped and never acknowledged: the server keeps one of each id.
      for (const [clientMessageId, { conversationId, mode, text }] of unacknowledged) {
        socket.send({ type: mode === 'note' ? 'note' : 'message', conversationId, clientMessageId, text });
      }
      if (!state.selected && frame.chats[0]) state.selected = frame.chats[0].conversationId;
      if (frame.chats.length === 0 && frame.queue.length > 0) state.tab = 'queue';
      return renderAll();
    case 'queue': {
      const before = new Set(state.queue.map((item) => item.conversationId));
      const added = frame.items.filter((item) => !before.has(item.conversationId));
      state.queue = frame.items;
      // Chats wait in the queue when every agent is full: say so, as for a chat assigned to this agent
      // (after a moment: one that is assigned at once only passes through the queue).
      if (added.length > 0) setTimeout(() => announceQueued(added[0]!.conversationId), QUEUE_ALERT_DELAY_MS);
      return renderSidebar();
    }
    case 'chats':
      state.chats = frame.items;
      return renderSidebar();
    case 'tickets':
      state.tickets = frame.items;
      return renderSidebar();
    case 'agents':
      state.agents = frame.items;
      if (transferPicker?.isConnected) fillTransferOptions(transferPicker);
      return;
    case 'assigned':
      alertNewChat();
      state.tab = 'chats';
      if (!state.selected || !state.chats.some((chat) => chat.conversationId === state.selected)) state.selected = frame.conversationId;
      socket.send({ type: 'open', conversationId: frame.conversationId });
      return renderSidebar();
    case 'released':
      // Refresh the transcript: its status and holder changed.
      if (state.open.has(frame.conversationId)) socket.send({ type: 'open', conversationId: frame.conversationId });
      if (frame.outcome === 'requeued') notice(t('notice.requeued'));
      if (state.selected === frame.conversationId && frame.outcome !== 'resolved' && frame.outcome !== 'handed_back') state.selected = null;
      return renderAll();
    case 'presence': {
      const presence = { online: frame.online, leftAt: frame.leftAt };
      for (const item of [...state.queue, ...state.chats]) if (item.conversationId === frame.conversationId) Object.assign(item.shopper, presence);
      const chat = state.open.get(frame.conversationId);
      if (chat) Object.assign(chat.view.shopper, presence);
      renderSidebar();
      if (state.selected === frame.conversationId) renderChatHeader();
      return;
    }
    case 'conversation': {
      const previous = state.open.get(frame.conversation.id);
      state.open.set(frame.conversation.id, { view: frame, shopperTyping: false, unread: previous?.unread ?? 0 });
      if (!state.selected) state.selected = frame.conversation.id;
      return renderAll();
    }
    case 'message': {
      const chat = state.open.get(frame.conversationId);
      if (!chat || chat.view.messages.some((m) => m.id === frame.message.id)) return;
      chat.view.messages.push(frame.message);
      if (frame.message.from === 'shopper') {
        chat.shopperTyping = false;
        const item = state.chats.find((c) => c.conversationId === frame.conversationId);
        if (item) item.preview = chatPreview(frame.message.text);
      }
      if (frame.conversationId !== state.selected) {
        chat.unread += 1;
        if (frame.message.from === 'shopper') announce(t('alert.messageFrom', { name: nameOf(frame.conversationId, chat.view.shopper) }));
      }
      else if (document.hidden && frame.message.from === 'shopper') alertNewChat(t('alert.newMessage'));
      if (frame.conversationId === state.selected) appendMessage(frame.message);
      renderSidebar();
      return renderTyping();
    }
    case 'typing': {
      const chat = state.open.get(frame.conversationId);
      if (chat && frame.from === 'shopper') chat.shopperTyping = frame.isTyping;
      return renderTyping();
    }
    case 'conversations_found':
      return conversationsFound(frame.query, frame.results, findContext);
    case 'search_results':
      if (frame.query === cannedInput.value) state.results = frame.results;
      return renderCanned();
    case 'ack':
      unacknowledged.delete(frame.clientMessageId);
      return;
    case 'ok':
      if (frame.request === 'answer_ticket' && frame.ticketId) {
        ticketAnswered(frame.ticketId);
        notice(t('notice.ticketSent', { id: frame.ticketId }));
      }
      if (frame.request === 'ticket_email_reply' && frame.ticketId) {
        ticketReplyStored(frame.ticketId);
        notice(t('notice.pastedStored'));
        renderSidebar();
      }
      if (frame.request === 'resolve') notice(t('notice.resolved'));
      if (frame.request === 'hand_back') notice(t('notice.handedBack'));
      if (frame.request === 'transfer') notice(t('notice.transferred'));
      if (frame.request === 'claim' && frame.conversationId) {
        state.selected = frame.conversationId;
        state.tab = 'chats';
        renderAll();
        // The claimed card left the queue; the reply box is where the agent goes next.
        if (document.activeElement === document.body) replyInput.focus();
        return;
      }
      return renderAll();
    case 'error': {
      if (frame.code === 'rate_limited') searchRefused();
      const refused = frame.clientMessageId ? unacknowledged.get(frame.clientMessageId) : undefined;
      if (refused && frame.clientMessageId) {
        unacknowledged.delete(frame.clientMessageId);
        // Back in the mode it was written in, so a refused note is never re-sent to the shopper.
        if (refused.conversationId === composerFor && !replyInput.value.trim()) {
          setMode(refused.mode);
          replyInput.value = refused.text;
        } else if (refused.conversationId !== composerFor && !drafts.has(refused.conversationId)) {
          drafts.set(refused.conversationId, { text: refused.text, mode: refused.mode });
        }
        return notice(t('notice.notSent', { reason: errorText(frame) }));
      }
      if (frame.ticketId) {
        ticketRefused(frame.ticketId, errorText(frame));
        renderSidebar();
      }
      return notice(errorText(frame));
    }
  }
}

// ——— Rendering ———

function renderAll(): void {
  renderHeader();
  renderSidebar();
  renderChat();
  // The reply box may have come or gone.
  enableCanned();
}

/** The connection and the latest notice, in the team bar (who is logged in and logout are the server's). */
function renderHeader(): void {
  // One status element, kept, and its text set only when it changes: a new element (or even the same text
  // assigned again, which replaces the text node) may be read out again on every render.
  if (noticeLine.textContent !== state.notice) noticeLine.textContent = state.notice;
  noticeLine.hidden = !state.notice;
  replaceChildren(header, h('span', { class: `presence ${state.connection}` }, t(`status.${state.connection}`)), noticeLine);
}

function tabButton(tab: typeof state.tab, label: string | Node, count?: number): HTMLButtonElement {
  const selected = state.tab === tab;
  // One Tab stop for the whole tab list (the selected tab); arrow keys move between tabs (WAI-ARIA tabs pattern).
  const attributes = { type: 'button', role: 'tab', id: `tab-${tab}`, 'aria-controls': 'list-panel', 'aria-selected': String(selected), tabindex: selected ? '0' : '-1' };
  const button = h('button', { ...attributes, class: `tab tab-${tab}`, 'data-focus': `tab:${tab}` }, label, count === undefined ? null : h('span', { class: 'count' }, String(count)));
  button.addEventListener('click', () => {
    state.tab = tab;
    renderSidebar();
  });
  return button;
}

function renderSidebar(): void {
  // Queue, chats and tickets frames arrive while an agent is tabbing through the list.
  keepingFocus(side, () => {
    replaceChildren(tabs, tabButton('queue', t('tab.queue'), state.queue.length), tabButton('chats', t('tab.chats'), state.chats.length), tabButton('tickets', t('tab.tickets'), state.tickets.length), tabButton('find', searchIcon()));
    list.setAttribute('aria-labelledby', `tab-${state.tab}`);
    if (state.tab === 'queue') replaceChildren(list, ...(state.queue.length ? state.queue.map(queueCard) : [empty(t('empty.queue'))]));
    if (state.tab === 'chats') replaceChildren(list, ...(state.chats.length ? state.chats.map(chatCard) : [empty(t('empty.chats'))]));
    if (state.tab === 'find') {
      // Built once: left alone while the agent types, whatever the queue does meanwhile.
      const panel = findPanel(findContext);
      if (list.firstChild !== panel[0]) replaceChildren(list, ...panel);
    }
    if (state.tab === 'tickets') replaceChildren(list, ...(state.tickets.length ? state.tickets.map((ticket) => ticketCard(ticket, { send: (frame) => socket.send(frame), openConversation: select, emailConfigured: state.emailConfigured })) : [empty(t('empty.tickets'))]));
  });
  enableCanned();
}

/** The search tab is a magnifier (four tabs do not fit the list's width in words); its name is read out. */
function searchIcon(): HTMLElement {
  const icon = h('span', { class: 'tab-icon', 'aria-hidden': 'true' });
  icon.innerHTML = '<svg viewBox="0 0 24 24" width="18" height="18" fill="none" stroke="currentColor" stroke-width="2.2" stroke-linecap="round"><circle cx="10.5" cy="10.5" r="6.5"/><path d="m20 20-4.8-4.8"/></svg>';
  return h('span', { title: t('tab.find') }, icon, h('span', { class: 'visually-hidden' }, t('tab.find')));
}

const findContext: FindContext = { send: (frame) => socket.send(frame), openConversation: select };

function empty(text: string): HTMLElement {
  return h('p', { class: 'empty' }, text);
}

function queueCard(item: QueueItem): HTMLElement {
  const waited = (Date.now() - Date.parse(item.waitingSince)) / 1000;
  const claim = h('button', { type: 'button', class: 'primary small', 'data-focus': `claim:${item.conversationId}` }, t('card.claim'));
  claim.addEventListener('click', (event) => {
    event.stopPropagation();
    socket.send({ type: 'claim', conversationId: item.conversationId });
  });
  const card = h('article', { class: 'card', 'data-conversation': item.conversationId });
  const reasonId = `queue-reason-${item.conversationId}`;
  const opener = cardOpener(card, nameOf(item.conversationId, item.shopper), reasonId, () => {
    state.selected = item.conversationId;
    socket.send({ type: 'open', conversationId: item.conversationId });
  }, { 'data-focus': `queue:${item.conversationId}` });
  replaceChildren(
    card,
    h('div', { class: 'card-top' }, presenceDot(item.shopper, item.channel), opener, channelChip(item.channel), h('span', { class: 'lang' }, item.lang.toUpperCase()), h('span', { class: 'wait', 'data-since': item.waitingSince }, formatWait(waited))),
    h('div', { class: 'reason', id: reasonId }, reasonLabel(item.reason, item.caseTitle)),
    shopperContext(item.shopper, item.channel),
    item.preview ? h('p', { class: 'preview' }, item.preview) : null,
    claim,
  );
  return card;
}

function chatCard(item: ChatItem): HTMLElement {
  const unread = state.open.get(item.conversationId)?.unread ?? 0;
  const selected = state.selected === item.conversationId;
  const card = h('article', { class: `card${selected ? ' selected' : ''}` });
  const reasonId = `chat-reason-${item.conversationId}`;
  const opener = cardOpener(card, nameOf(item.conversationId, item.shopper), reasonId, () => select(item.conversationId), {
    'aria-current': selected ? 'true' : undefined,
    'data-focus': `chat:${item.conversationId}`,
  });
  replaceChildren(
    card,
    h('div', { class: 'card-top' }, presenceDot(item.shopper, item.channel), opener, channelChip(item.channel), h('span', { class: 'lang' }, item.lang.toUpperCase()), unread ? h('span', { class: 'badge', 'aria-label': t('card.unread', { count: unread }) }, String(unread)) : null),
    h('div', { class: 'reason', id: reasonId }, reasonLabel(item.reason, item.caseTitle)),
    shopperContext(item.shopper, item.channel),
    item.preview ? h('p', { class: 'preview' }, item.preview) : null,
  );
  return card;
}

/** Web chats are the default; a chat on WhatsApp or Messenger says so, since the reply goes out there. */
function channelChip(channel: Channel): HTMLElement | null {
  return channel === 'web' ? null : h('span', { class: `channel channel-${channel}` }, channelName(channel));
}

/** The shopper's name as the lists show it: two chats on screen never read the same. */
function nameOf(conversationId: string, shopper: ShopperView): string {
  return distinctNames([...state.queue, ...state.chats]).get(conversationId) ?? shopperName(shopper);
}

/** `data-left-at` lets the clock below move "se fue hace 1 min" on without a re-render. */
function leftAt(shopper: ShopperView): string | undefined {
  return !shopper.online && shopper.leftAt ? shopper.leftAt : undefined;
}

/** A dot plus a spoken label: online, or how long ago the shopper left. */
/** A shopper on WhatsApp or Messenger has no socket to be online on: no presence shown, the channel says where they are. */
function presenceDot(shopper: ShopperView, channel: Channel): HTMLElement | null {
  if (channel !== 'web') return null;
  const label = presenceLabel(shopper);
  return h('span', { class: `shopper-presence${shopper.online ? ' online' : ''}`, role: 'img', 'aria-label': label, title: label, 'data-left-at': leftAt(shopper) });
}

function presenceText(shopper: ShopperView, channel: Channel): HTMLElement | null {
  if (channel !== 'web') return null;
  return h('span', { class: 'presence-text', 'data-left-at': leftAt(shopper) }, presenceLabel(shopper));
}

/** "en línea · /zapatillas": enough to tell four chats apart at a glance. */
function shopperContext(shopper: ShopperView, channel: Channel): HTMLElement {
  const page = shopper.page ? pagePath(shopper.page) : null;
  const presence = presenceText(shopper, channel);
  const details = [shopper.verified ? t('card.verified') : '', page ?? ''].filter(Boolean).join(' · ');
  return h('div', { class: 'context' }, presence, presence && details ? ` · ${details}` : details);
}

function pagePath(page: string): string {
  try {
    return new URL(page).pathname;
  } catch {
    return page;
  }
}

function select(conversationId: string): void {
  state.selected = conversationId;
  const chat = state.open.get(conversationId);
  if (chat) chat.unread = 0;
  else socket.send({ type: 'open', conversationId });
  renderAll();
  // Someone else's chat, or a closed one, has no reply box: the transcript is what there is to read.
  (composer.hidden ? transcript : replyInput).focus();
}

function renderChat(): void {
  const chat = state.selected ? state.open.get(state.selected) : undefined;
  switchComposer(chat ? chat.view.conversation.id : null);
  if (!chat) {
    replaceChildren(chatHeader, h('p', { class: 'empty' }, t('chat.none')));
    replaceChildren(transcript);
    delete transcript.dataset.key;
    replaceChildren(details);
    composer.hidden = true;
    typingLine.textContent = '';
    return;
  }
  const { conversation } = chat.view;
  const mine = state.chats.some((c) => c.conversationId === conversation.id);
  const actions: HTMLElement[] = [];
  if (mine) {
    actions.push(actionButton('resolve', t('chat.resolve'), 'primary', () => socket.send({ type: 'resolve', conversationId: conversation.id })));
    actions.push(actionButton('hand-back', t('chat.handBack'), '', () => socket.send({ type: 'hand_back', conversationId: conversation.id })));
    // Picking a name only picks it (arrow keys change a select's value); the button hands the chat over.
    const picker = h('select', { 'aria-label': t('chat.transferTo'), 'data-focus': 'transfer' });
    const transfer = actionButton('transfer', t('chat.transfer'), '', () => {
      if (picker.value) socket.send({ type: 'transfer', conversationId: conversation.id, toAgentId: picker.value });
    });
    transfer.disabled = true;
    picker.addEventListener('change', () => {
      transfer.disabled = !picker.value;
      transferPick = { conversationId: conversation.id, agentId: picker.value };
    });
    // The header is rebuilt by any update of the chat: a colleague picked and not yet confirmed stays picked.
    fillTransferOptions(picker, transferPick?.conversationId === conversation.id ? transferPick.agentId : '');
    transferPicker = picker;
    actions.push(h('span', { class: 'transfer' }, picker, transfer));
  } else if (conversation.status === 'waiting') {
    actions.push(actionButton('claim', t('card.claim'), 'primary', () => socket.send({ type: 'claim', conversationId: conversation.id })));
  }
  if (state.me.role === 'admin') actions.push(transcriptExport(conversation.id));
  headerActions = actions;
  renderChatHeader();
  renderTranscript(chat.view);
  composer.hidden = !mine;
  renderTyping();
  // Last, once the reply box is in or out: showing it shortens the transcript and would hide the newest messages.
  transcript.scrollTop = transcript.scrollHeight;
  renderDetails(chat.view);
}

let headerActions: HTMLElement[] = [];

/** Name, presence, language, status and case of the selected chat; re-rendered alone when presence changes. */
function renderChatHeader(): void {
  const chat = state.selected ? state.open.get(state.selected) : undefined;
  if (!chat) return;
  const { conversation, handoff, shopper, caseTitle } = chat.view;
  const statusLabel = conversation.status === 'agent' && chat.view.agentName ? t('chat.status.agentNamed', { name: chat.view.agentName }) : t(`chat.status.${conversation.status}`);
  keepingFocus(chatHeader, () => replaceChildren(
    chatHeader,
    h(
      'div',
      { class: 'who' },
      h('h2', {}, presenceDot(shopper, conversation.channel), nameOf(conversation.id, shopper)),
      h('span', { class: 'meta' }, conversation.channel === 'web' ? presenceText(shopper, 'web') : channelName(conversation.channel), ` · ${conversation.lang.toUpperCase()} · ${statusLabel}${handoff ? ` · ${reasonLabel(handoff.reason, caseTitle)}` : ''}`),
    ),
    h('div', { class: 'actions' }, ...headerActions),
  ), transcript);
}

/** Only the options change when agents come and go, so a focused picker stays focused. */
function fillTransferOptions(picker: HTMLSelectElement, chosen = picker.value): void {
  const others = state.agents.filter((agent) => agent.online && agent.id !== state.me.id);
  const label = (agent: AgentItem) => t(agent.full ? 'chat.transferOptionFull' : 'chat.transferOption', { name: agent.name, count: agent.openChats });
  replaceChildren(picker, h('option', { value: '' }, t('chat.transferPick')), ...others.map((agent) => h('option', { value: agent.id }, label(agent))));
  // Kept while that agent is still online, so an update of the list does not undo the agent's pick.
  picker.value = others.some((agent) => agent.id === chosen) ? chosen : '';
  picker.disabled = others.length === 0;
  picker.dispatchEvent(new Event('change'));
}

function actionButton(key: string, label: string, kind: string, onClick: () => void): HTMLButtonElement {
  const button = h('button', { type: 'button', class: kind, 'data-focus': `action:${key}` }, label);
  button.addEventListener('click', onClick);
  return button;
}

/** Admins only (the server answers 403 to anyone else): the whole transcript as a JSON or CSV file. */
function transcriptExport(conversationId: string): HTMLElement {
  const href = (format: string) => `/agent/api/conversations/${encodeURIComponent(conversationId)}/transcript?format=${format}`;
  const link = (format: 'json' | 'csv') =>
    h('a', { class: 'export-link', href: href(format), download: '', 'data-focus': `export:${format}` }, t(format === 'json' ? 'chat.exportJson' : 'chat.exportCsv'));
  return h('div', { class: 'export', role: 'group', 'aria-labelledby': 'export-label' }, h('span', { id: 'export-label' }, t('chat.export')), link('json'), link('csv'));
}

function messageItem(message: AgentMessage): HTMLElement {
  const isNote = message.kind === 'note';
  const who = isNote ? t('msg.noteBy', { name: message.authorName ?? '' }) : message.from === 'agent' ? message.authorName ?? t('sender.agent') : t(`sender.${message.from}`);
  const confidence = message.confidence !== undefined ? ` · ${t('msg.confidence', { value: message.confidence.toFixed(2) })}` : '';
  const bot = message.from === 'bot' && message.entryId ? h('span', { class: 'match', title: t('msg.matchTitle', { id: message.entryId }) }, `${message.entryTitle ?? message.entryId}${confidence}${message.action ? ` · ${actionLabel(message.action)}` : ''}`) : null;
  return h(
    'li',
    // Keyed by its id, so that a later render of the transcript keeps it where it is.
    { class: `msg from-${message.from}${isNote ? ' note' : ''}`, 'data-message-id': String(message.id) },
    h('div', { class: 'msg-meta' }, h('span', { class: 'sender' }, who), message.via === 'email' ? h('span', { class: 'via' }, t('msg.viaEmail')) : null, bot, h('time', { datetime: message.createdAt }, formatTime(message.createdAt))),
    // The widget shows every message but the shopper's as markdown (an agent's saved answers are markdown
    // too): agents read them formatted as the shopper did, through the same safe renderer. Notes stay plain.
    message.from !== 'shopper' && !isNote ? h('div', { class: 'msg-text rich' }, renderRichText(message.text)) : h('p', { class: 'msg-text' }, message.text),
  );
}

/**
 * The transcript is a live region: rebuilt whole on every render, a screen reader would read the chat out
 * again after each claim or resolve. Only messages that are new or changed are put in; another chat's
 * transcript replaces it while marked busy, so it is not read out either.
 */
function renderTranscript(view: ConversationView): void {
  // Another chat, or every label in another language: all of it changes, so none of it is read out.
  const key = `${view.conversation.id} ${consoleLang()}`;
  if (transcript.dataset.key !== key) {
    transcript.dataset.key = key;
    transcript.setAttribute('aria-busy', 'true');
    clearTimeout(transcriptSettled);
    transcriptSettled = setTimeout(() => transcript.setAttribute('aria-busy', 'false'), TRANSCRIPT_SETTLE_MS);
  }
  const shown = new Map([...transcript.children].map((item) => [(item as HTMLElement).dataset.messageId, item]));
  const wanted = view.messages.map((message) => {
    const item = messageItem(message);
    const old = shown.get(item.dataset.messageId);
    return old?.isEqualNode(item) ? old : item;
  });
  // Out first (the oldest, past the history's limit), then in place: a node kept where it was is never moved.
  const kept = new Set<Element>(wanted);
  for (const item of shown.values()) if (!kept.has(item)) item.remove();
  wanted.forEach((item, index) => {
    if (transcript.children[index] !== item) transcript.insertBefore(item, transcript.children[index] ?? null);
  });
}
const TRANSCRIPT_SETTLE_MS = 300;
let transcriptSettled: ReturnType<typeof setTimeout> | undefined;

function appendMessage(message: AgentMessage): void {
  const nearBottom = transcript.scrollHeight - transcript.scrollTop - transcript.clientHeight < 80;
  transcript.append(messageItem(message));
  if (nearBottom || message.from === 'agent') transcript.scrollTop = transcript.scrollHeight;
}

function renderTyping(): void {
  const chat = state.selected ? state.open.get(state.selected) : undefined;
  typingLine.textContent = chat?.shopperTyping ? t('typing.shopper') : '';
}

/** What the agent has typed into this chat's details and not saved yet (field id → text). */
function unsavedDetails(conversationId: string): Map<string, string> {
  const typed = new Map<string, string>();
  if (details.dataset.conversation !== conversationId) return typed;
  for (const input of details.querySelectorAll<HTMLInputElement>('.shopper-form input')) {
    if (input.value !== input.defaultValue) typed.set(input.id, input.value);
  }
  return typed;
}

/**
 * Drawn afresh with every view of the chat (saving the details brings new earlier conversations),
 * keeping what the agent is still typing there, and the focus.
 */
function renderDetails(view: ConversationView): void {
  const { conversation, previous } = view;
  // Only the agent holding the chat records details, and never over what the shop verified: a verified
  // shopper's missing e-mail can be filled in, the name the shop gave cannot be changed (the server refuses both).
  const mine = state.chats.some((c) => c.conversationId === conversation.id);
  const locked = { name: view.shopper.verified && !!conversation.shopperName, email: view.shopper.verified && !!conversation.shopperEmail };
  const editable = mine && !(locked.name && locked.email);
  const typed = unsavedDetails(conversation.id);
  details.dataset.conversation = conversation.id;
  const name = h('input', { id: 'shopper-name', maxlength: '80', autocomplete: 'off', value: conversation.shopperName ?? '', 'data-focus': 'shopper-name' });
  const email = h('input', { id: 'shopper-email', type: 'email', maxlength: '254', autocomplete: 'off', value: conversation.shopperEmail ?? '', 'data-focus': 'shopper-email' });
  // The value attribute stays the saved one: a field is unsaved while its text differs from it.
  for (const input of [name, email]) input.value = typed.get(input.id) ?? input.value;
  const form = h(
    'form',
    { class: 'shopper-form' },
    ...(locked.name ? [] : [h('label', { for: 'shopper-name' }, t('details.name')), name]),
    ...(locked.email ? [] : [h('label', { for: 'shopper-email' }, t('details.email')), email]),
    h('button', { type: 'submit', class: 'small', 'data-focus': 'shopper-save' }, t('details.save')),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    if (email.value && !email.checkValidity()) return notice(t('details.badEmail'));
    socket.send({
      type: 'shopper_details',
      conversationId: conversation.id,
      ...(!locked.name && name.value.trim() ? { name: name.value.trim() } : {}),
      ...(!locked.email && email.value.trim() ? { email: email.value.trim() } : {}),
    });
  });
  const shown = { name: !editable || locked.name, email: !editable || locked.email };
  const given = [
    ...(shown.name && conversation.shopperName ? [h('dt', {}, t('details.name')), h('dd', {}, conversation.shopperName)] : []),
    ...(shown.email && conversation.shopperEmail ? [h('dt', {}, t('details.email')), h('dd', {}, conversation.shopperEmail)] : []),
  ];
  keepingFocus(details, () => replaceChildren(
    details,
    h('h2', {}, view.shopper.verified ? t('details.customerVerified') : t('details.customer')),
    editable ? form : null,
    h(
      'dl',
      {},
      ...given,
      h('dt', {}, t('details.language')),
      h('dd', {}, t(conversation.lang === 'es' ? 'details.lang.es' : 'details.lang.en')),
      h('dt', {}, t('details.page')),
      h('dd', { class: 'page' }, conversation.page ?? '—'),
      h('dt', {}, t('details.since')),
      h('dd', {}, `${formatDate(conversation.createdAt)} ${formatTime(conversation.createdAt)}`),
    ),
    view.ratings.length ? h('h2', {}, t('details.rating')) : null,
    ...view.ratings.map((entry) => h('p', { class: 'rating' }, h('strong', {}, `${entry.rating}/5`), entry.comment ? ` · «${entry.comment}»` : '', ` · ${formatDate(entry.createdAt)}`)),
    h('h2', {}, t('details.previous')),
    previous.length
      ? h('ul', { class: 'previous' }, ...previous.map((p) => h('li', {}, previousLink(p), p.matchedBy === 'email' && view.shopper.verified ? h('span', { class: 'unverified' }, ` · ${t('details.sameEmailUnverified')}`) : null)))
      : h('p', { class: 'empty' }, conversation.shopperEmail || view.shopper.verified ? t('details.none') : t('details.saveEmailToFind')),
  ));
}

/** An earlier conversation of the same shopper: opens its whole transcript, read-only unless it is the agent's. */
function previousLink(previous: ConversationView['previous'][number]): HTMLButtonElement {
  const link = h('button', { type: 'button', class: 'previous-link', 'data-focus': `previous:${previous.id}` }, h('span', {}, formatDate(previous.createdAt)), ` ${previous.firstMessage ?? t('details.noMessages')}`);
  link.addEventListener('click', () => select(previous.id));
  return link;
}

function renderCanned(): void {
  replaceChildren(
    cannedList,
    ...state.results.map((result) => {
      const use = h('button', { type: 'button', class: 'canned-item' }, h('strong', {}, result.question), h('span', {}, plain(result.answer).slice(0, 140)));
      use.addEventListener('click', () => insertCanned(result.answer));
      return h('li', {}, use);
    }),
  );
  enableCanned();
}

/**
 * Where a saved answer goes: the reply box of the chat shown; for a chat that is not the agent's (its
 * reply box is hidden), the e-mail reply of its ticket when the ticket is on screen; else nowhere.
 */
function cannedTarget(): HTMLTextAreaElement | null {
  if (!composer.hidden) return replyInput;
  if (!state.selected) return null;
  return list.querySelector<HTMLTextAreaElement>(`.ticket[data-conversation="${CSS.escape(state.selected)}"] .ticket-reply textarea`);
}

/** Saved answers cannot be used while there is no box on screen to put them in. */
function enableCanned(): void {
  const usable = cannedTarget() !== null;
  for (const button of cannedList.querySelectorAll('button')) button.disabled = !usable;
}

/** Markdown marks out of a preview (the inserted text keeps them: the widget renders them). */
function plain(markdown: string): string {
  return markdown.replace(/\*\*|__|\[\[|\]\]/g, '').replace(/^\s*-\s+/gm, '• ').replace(/\s+/g, ' ');
}

/** Puts a knowledge-base answer in the box being written for editing; never sends it by itself. */
function insertCanned(answer: string): void {
  const box = cannedTarget();
  if (!box) return;
  if (box === replyInput) setMode('reply');
  const { selectionStart, selectionEnd, value } = box;
  box.value = value.slice(0, selectionStart) + answer + value.slice(selectionEnd);
  // As if typed: a ticket's draft is kept from its input events.
  box.dispatchEvent(new Event('input'));
  box.focus();
  box.selectionStart = box.selectionEnd = selectionStart + answer.length;
}

const QUEUE_ALERT_DELAY_MS = 1500;

function announceQueued(conversationId: string): void {
  const item = state.queue.find((queued) => queued.conversationId === conversationId);
  if (!item) return;
  alertNewChat(t('alert.newQueued'));
  announce(t('alert.newQueuedNamed', { name: nameOf(item.conversationId, item.shopper) }));
}

function announce(text: string): void {
  announcer.textContent = text;
}

function notice(text: string): void {
  state.notice = text;
  renderHeader();
  setTimeout(() => {
    if (state.notice === text) {
      state.notice = '';
      renderHeader();
    }
  }, 6000);
}

function setMode(mode: ComposerMode): void {
  state.mode = mode;
  modeReply.setAttribute('aria-pressed', String(mode === 'reply'));
  modeNote.setAttribute('aria-pressed', String(mode === 'note'));
  composer.classList.toggle('noting', mode === 'note');
  replyInput.placeholder = mode === 'note' ? t('composer.notePlaceholder') : t('composer.placeholder');
  sendButton.textContent = mode === 'note' ? t('composer.saveNote') : t('composer.send');
}

// ——— Composer ———

/**
 * Puts away the draft of the chat being left (text and mode), and its typing indicator, and brings back
 * the draft of the chat shown: a chat never written in starts as a reply, whatever mode the last one was in.
 */
function switchComposer(conversationId: string | null): void {
  if (conversationId === composerFor) return;
  stopTyping();
  if (composerFor && (replyInput.value || state.mode === 'note')) drafts.set(composerFor, { text: replyInput.value, mode: state.mode });
  else if (composerFor) drafts.delete(composerFor);
  composerFor = conversationId;
  const draft = conversationId ? drafts.get(conversationId) : undefined;
  setMode(draft?.mode ?? 'reply');
  replyInput.value = draft?.text ?? '';
}

function stopTyping(): void {
  clearTimeout(typingTimer);
  if (typingSentFor) socket.send({ type: 'typing', conversationId: typingSentFor, isTyping: false });
  typingSentFor = null;
}

replyInput.addEventListener('input', () => {
  if (state.mode !== 'reply' || !composerFor) return;
  if (typingSentFor !== composerFor) {
    stopTyping();
    if (socket.send({ type: 'typing', conversationId: composerFor, isTyping: true })) typingSentFor = composerFor;
  }
  clearTimeout(typingTimer);
  typingTimer = setTimeout(stopTyping, TYPING_IDLE_MS);
});

replyInput.addEventListener('keydown', (event) => {
  if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
    event.preventDefault();
    composer.requestSubmit();
  }
});

composer.addEventListener('submit', (event) => {
  event.preventDefault();
  const text = replyInput.value.trim();
  if (!text || !composerFor) return;
  const clientMessageId = `c${Date.now().toString(36)}${sequence++}`;
  const sent = socket.send({ type: state.mode === 'note' ? 'note' : 'message', conversationId: composerFor, clientMessageId, text });
  if (!sent) return notice(t('notice.offline'));
  unacknowledged.set(clientMessageId, { conversationId: composerFor, mode: state.mode, text });
  replyInput.value = '';
  stopTyping();
  // A note is an aside: the next message is a reply unless the agent asks for another note.
  setMode('reply');
});

modeReply.addEventListener('click', () => setMode('reply'));
modeNote.addEventListener('click', () => setMode('note'));

let searchTimer: ReturnType<typeof setTimeout> | undefined;
cannedInput.addEventListener('input', () => {
  clearTimeout(searchTimer);
  searchTimer = setTimeout(() => {
    const lang = (state.selected && state.open.get(state.selected)?.view.conversation.lang) || 'es';
    socket.send({ type: 'search', query: cannedInput.value, lang });
  }, 200);
});

// Wait times and "se fue hace…" tick without a server round trip.
setInterval(() => {
  for (const element of list.querySelectorAll<HTMLElement>('.wait[data-since]')) {
    element.textContent = formatWait((Date.now() - Date.parse(element.dataset.since!)) / 1000);
  }
  for (const element of root.querySelectorAll<HTMLElement>('[data-left-at]')) {
    const label = presenceLabel({ online: false, leftAt: element.dataset.leftAt! });
    if (!element.classList.contains('shopper-presence')) element.textContent = label;
    else for (const attribute of ['aria-label', 'title']) element.setAttribute(attribute, label);
  }
}, 5000);

document.addEventListener('visibilitychange', () => {
  if (!document.hidden) clearTitleAlert();
});

// Logging out with chats open sends their shoppers back to the queue after the grace period: ask first.
document.querySelector<HTMLFormElement>('form.logout')?.addEventListener('submit', (event) => {
  if (state.chats.length > 0 && !window.confirm(t('nav.logoutWithChats', { count: state.chats.length }))) event.preventDefault();
});

wireTeamNav(() => {
  labelLayout();
  renderAll();
});
labelLayout();
renderAll();
socket.connect();
privacy?.openOnHash();
