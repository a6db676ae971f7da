import type { AgentItem, AgentMessage, AgentServerFrame, ChatItem, ConversationView, QueueItem, ShopperView, TicketItem } from '../../../src/channels/agent-protocol';
import type { CannedAnswer } from '../../../src/engine';
import { renderRichText } from '../../src/rich-text';
import { actionLabel, distinctNames, formatDate, formatTime, formatWait, h, keepingFocus, presenceLabel, reasonLabel, replaceChildren } from './dom';
import { alertNewChat, clearTitleAlert } from './notify';
import { AgentSocket } from './socket';
import { ticketAnswered, ticketCard, ticketRefused, ticketReplyStored } from './tickets';

/**
 * The agent console: queue, my chats and tickets on the left; the open conversation in the middle
 * (transcript with the bot's FAQ ids and confidence, reply or internal note, canned answers); the
 * shopper's details and earlier conversations on the right. Vanilla DOM, state in one object.
 */

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
  tab: 'chats' as 'queue' | 'chats' | 'tickets',
  selected: null as string | null,
  open: new Map<string, OpenChat>(),
  mode: 'reply' as 'reply' | 'note',
  results: [] as CannedAnswer[],
  notice: '',
  emailConfigured: false,
};

const TYPING_IDLE_MS = 3000;
let typingTimer: ReturnType<typeof setTimeout> | undefined;
let typingSentFor: string | null = null;
let sequence = 0;
let transferPicker: HTMLSelectElement | null = null;
/** Replies sent but not yet acknowledged, by clientMessageId: a refused one goes back in the box. */
const unacknowledged = new Map<string, { conversationId: string; mode: typeof state.mode; text: string }>();

const socket = new AgentSocket(onFrame, (connection) => {
  state.connection = connection;
  renderHeader();
});

// ——— Layout (built once; regions re-render) ———

const root = document.getElementById('console-root')!;
const header = h('header', { class: 'top' });
const tabs = h('nav', { class: 'tabs', role: 'tablist', 'aria-label': 'Listas' });
const list = h('div', { class: 'list', role: 'tabpanel' });
const side = h('aside', { class: 'sidebar' }, tabs, list);
const chatHeader = h('div', { class: 'chat-header' });
const transcript = h('ol', { class: 'transcript', 'aria-live': 'polite', 'aria-label': 'Conversación' });
const typingLine = h('p', { class: 'typing-line', 'aria-live': 'polite' });
// The server's default limits.maxMessageChars; the console page is not told a custom one.
const MAX_MESSAGE_CHARS = 2000;
const replyInput = h('textarea', { id: 'reply', rows: '3', maxlength: String(MAX_MESSAGE_CHARS), placeholder: 'Escribe tu respuesta…', 'aria-label': 'Respuesta' });
const modeReply = h('button', { type: 'button', class: 'mode', 'aria-pressed': 'true' }, 'Respuesta');
const modeNote = h('button', { type: 'button', class: 'mode', 'aria-pressed': 'false' }, 'Nota interna');
const sendButton = h('button', { type: 'submit', class: 'primary send' }, 'Enviar');
const composer = h(
  'form',
  { class: 'composer' },
  h('div', { class: 'composer-modes', role: 'group', 'aria-label': 'Tipo de mensaje' }, modeReply, modeNote),
  replyInput,
  h('div', { class: 'composer-actions' }, h('span', { class: 'hint' }, 'Enter envía · Shift+Enter nueva línea'), sendButton),
);
const cannedInput = h('input', { type: 'search', placeholder: 'Buscar respuesta en la base de conocimiento…', 'aria-label': 'Buscar respuestas', class: 'canned-search' });
const cannedList = h('ul', { class: 'canned-results' });
const canned = h('section', { class: 'canned' }, h('h3', {}, 'Respuestas guardadas'), cannedInput, cannedList);
const chatPane = h('section', { class: 'chat' }, chatHeader, transcript, typingLine, composer);
const details = h('aside', { class: 'details' });
const main = h('main', { class: 'workspace' }, side, chatPane, h('div', { class: 'right' }, details, canned));
root.append(header, main);

// ——— Frames ———

function onFrame(frame: AgentServerFrame): void {
  switch (frame.type) {
    case 'welcome':
      state.me = frame.agent;
      Object.assign(state, { queue: frame.queue, chats: frame.chats, tickets: frame.tickets, agents: frame.agents, emailConfigured: frame.emailConfigured });
      for (const chat of frame.chats) socket.send({ type: 'open', conversationId: chat.conversationId });
      if (!state.selected && frame.chats[0]) state.selected = frame.chats[0].conversationId;
      if (frame.chats.length === 0 && frame.queue.length > 0) state.tab = 'queue';
      return renderAll();
    case 'queue':
      state.queue = frame.items;
      return renderSidebar();
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
      if (frame.outcome === 'requeued') notice('Te desconectaste demasiado tiempo: tus chats volvieron a la cola.');
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
      if (frame.message.from === 'shopper') chat.shopperTyping = false;
      if (frame.conversationId !== state.selected) chat.unread += 1;
      else if (document.hidden && frame.message.from === 'shopper') alertNewChat('Nuevo mensaje');
      if (frame.conversationId === state.selected) appendMessage(frame.message);
      renderSidebar();
      return renderTyping();
    }
    case 'typing': {
      const chat = state.open.get(frame.conversationId);
      if (chat && frame.from === 'shopper') chat.shopperTyping = frame.isTyping;
      return renderTyping();
    }
    case 'search_results':
      if (frame.query === cannedInput.value) state.results = frame.results;
      return renderCanned();
    case 'ack':
      unacknowledged.delete(frame.clientMessageId);
      return;
    case 'ok':
      if (frame.request === 'answer_ticket' && frame.ticketId) {
        ticketAnswered(frame.ticketId);
        notice(`Respuesta al ticket #${frame.ticketId} enviada por correo.`);
      }
      if (frame.request === 'ticket_email_reply' && frame.ticketId) {
        ticketReplyStored(frame.ticketId);
        notice('Respuesta del cliente guardada en la conversación.');
        renderSidebar();
      }
      if (frame.request === 'resolve') notice('Conversación resuelta.');
      if (frame.request === 'hand_back') notice('Conversación devuelta al bot.');
      if (frame.request === 'transfer') notice('Conversación transferida.');
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
      const refused = frame.clientMessageId ? unacknowledged.get(frame.clientMessageId) : undefined;
      if (refused && frame.clientMessageId) {
        unacknowledged.delete(frame.clientMessageId);
        if (refused.conversationId === state.selected && !replyInput.value.trim()) {
          // Back in the mode it was written in, so a refused note is never re-sent to the shopper.
          setMode(refused.mode);
          replyInput.value = refused.text;
        }
        return notice(`No se envió: ${frame.message}`);
      }
      if (frame.ticketId) {
        ticketRefused(frame.ticketId, frame.message);
        renderSidebar();
      }
      return notice(frame.message);
    }
  }
}

// ——— Rendering ———

function renderAll(): void {
  renderHeader();
  renderSidebar();
  renderChat();
}

function renderHeader(): void {
  const status = { connecting: 'Conectando…', online: 'En línea', offline: 'Sin conexión, reintentando…' }[state.connection];
  const logout = h('form', { method: 'post', action: '/agent/logout', class: 'logout' }, h('button', { type: 'submit' }, 'Salir'));
  replaceChildren(
    header,
    h('h1', {}, 'Atento'),
    h('span', { class: `presence ${state.connection}` }, status),
    state.notice ? h('p', { class: 'notice', role: 'status' }, state.notice) : null,
    h('span', { class: 'me' }, `${state.me.name}${state.me.role === 'admin' ? ' (admin)' : ''}`),
    logout,
  );
}

function tabButton(tab: typeof state.tab, label: string, count: number): HTMLButtonElement {
  const button = h('button', { type: 'button', role: 'tab', 'aria-selected': String(state.tab === tab), class: 'tab', 'data-focus': `tab:${tab}` }, label, h('span', { class: 'count' }, String(count)));
  button.addEventListener('click', () => {
    state.tab = tab;
    renderSidebar();
  });
  return button;
}

function renderSidebar(): void {
  // Queue, chats and tickets frames arrive while an agent is tabbing through the list.
  keepingFocus(side, () => {
    replaceChildren(tabs, tabButton('queue', 'Cola', state.queue.length), tabButton('chats', 'Mis chats', state.chats.length), tabButton('tickets', 'Tickets', state.tickets.length));
    if (state.tab === 'queue') replaceChildren(list, ...(state.queue.length ? state.queue.map(queueCard) : [empty('Nadie espera. 🎉')]));
    if (state.tab === 'chats') replaceChildren(list, ...(state.chats.length ? state.chats.map(chatCard) : [empty('No tienes chats abiertos.')]));
    if (state.tab === 'tickets') replaceChildren(list, ...(state.tickets.length ? state.tickets.map((ticket) => ticketCard(ticket, { send: (frame) => socket.send(frame), emailConfigured: state.emailConfigured })) : [empty('No hay tickets abiertos.')]));
  });
}

function empty(text: string): HTMLElement {
  return h('p', { class: 'empty' }, text);
}

function queueCard(item: QueueItem): HTMLElement {
  const waited = (Date.now() - Date.parse(item.waitingSince)) / 1000;
  const claim = h('button', { type: 'button', class: 'primary small', 'data-focus': `claim:${item.conversationId}` }, 'Tomar');
  claim.addEventListener('click', (event) => {
    event.stopPropagation();
    socket.send({ type: 'claim', conversationId: item.conversationId });
  });
  const card = h(
    'article',
    { class: 'card', tabindex: '0', 'data-conversation': item.conversationId, 'data-focus': `queue:${item.conversationId}` },
    h('div', { class: 'card-top' }, presenceDot(item.shopper), h('strong', {}, nameOf(item.conversationId, item.shopper)), h('span', { class: 'lang' }, item.lang.toUpperCase()), h('span', { class: 'wait', 'data-since': item.waitingSince }, formatWait(waited))),
    h('div', { class: 'reason' }, reasonLabel(item.reason, item.caseTitle)),
    shopperContext(item.shopper),
    item.preview ? h('p', { class: 'preview' }, item.preview) : null,
    claim,
  );
  onActivate(card, () => {
    state.selected = item.conversationId;
    socket.send({ type: 'open', conversationId: item.conversationId });
  });
  return card;
}

function chatCard(item: ChatItem): HTMLElement {
  const unread = state.open.get(item.conversationId)?.unread ?? 0;
  const card = h(
    'article',
    { class: `card${state.selected === item.conversationId ? ' selected' : ''}`, tabindex: '0', 'aria-current': state.selected === item.conversationId ? 'true' : undefined, 'data-focus': `chat:${item.conversationId}` },
    h('div', { class: 'card-top' }, presenceDot(item.shopper), h('strong', {}, nameOf(item.conversationId, item.shopper)), h('span', { class: 'lang' }, item.lang.toUpperCase()), unread ? h('span', { class: 'badge', 'aria-label': `${unread} sin leer` }, String(unread)) : null),
    h('div', { class: 'reason' }, reasonLabel(item.reason, item.caseTitle)),
    shopperContext(item.shopper),
    item.preview ? h('p', { class: 'preview' }, item.preview) : null,
  );
  onActivate(card, () => select(item.conversationId));
  return card;
}

/** The shopper's name as the lists show it: two chats on screen never read the same. */
function nameOf(conversationId: string, shopper: ShopperView): string {
  return distinctNames([...state.queue, ...state.chats]).get(conversationId) ?? shopper.displayName;
}

/** `data-left-at` lets the clock below move "se fue hace 1 min" on without a re-render. */
function leftAt(shopper: ShopperView): string | undefined {
  return !shopper.online && shopper.leftAt ? shopper.leftAt : undefined;
}

/** A dot plus a spoken label: online, or how long ago the shopper left. */
function presenceDot(shopper: ShopperView): HTMLElement {
  const label = presenceLabel(shopper);
  return h('span', { class: `shopper-presence${shopper.online ? ' online' : ''}`, role: 'img', 'aria-label': label, title: label, 'data-left-at': leftAt(shopper) });
}

function presenceText(shopper: ShopperView): HTMLElement {
  return h('span', { class: 'presence-text', 'data-left-at': leftAt(shopper) }, presenceLabel(shopper));
}

/** "en línea · /zapatillas": enough to tell four chats apart at a glance. */
function shopperContext(shopper: ShopperView): HTMLElement {
  const page = shopper.page ? pagePath(shopper.page) : null;
  return h('div', { class: 'context' }, presenceText(shopper), shopper.verified ? ' · cliente verificado' : '', page ? ` · ${page}` : '');
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
  replyInput.focus();
}

function renderChat(): void {
  const chat = state.selected ? state.open.get(state.selected) : undefined;
  if (!chat) {
    replaceChildren(chatHeader, h('p', { class: 'empty' }, 'Elige un chat de la lista, o toma uno de la cola.'));
    replaceChildren(transcript);
    replaceChildren(details);
    composer.hidden = true;
    typingLine.textContent = '';
    return;
  }
  const { conversation } = chat.view;
  const mine = state.chats.some((c) => c.conversationId === conversation.id);
  const actions: HTMLElement[] = [];
  if (mine) {
    actions.push(actionButton('Resolver', 'primary', () => socket.send({ type: 'resolve', conversationId: conversation.id })));
    actions.push(actionButton('Devolver al bot', '', () => socket.send({ type: 'hand_back', conversationId: conversation.id })));
    const picker = h('select', { 'aria-label': 'Transferir a', 'data-focus': 'transfer' });
    picker.addEventListener('change', () => {
      if (picker.value) socket.send({ type: 'transfer', conversationId: conversation.id, toAgentId: picker.value });
    });
    fillTransferOptions(picker);
    transferPicker = picker;
    actions.push(picker);
  } else if (conversation.status === 'waiting') {
    actions.push(actionButton('Tomar', 'primary', () => socket.send({ type: 'claim', conversationId: conversation.id })));
  }
  headerActions = actions;
  renderChatHeader();
  replaceChildren(transcript, ...chat.view.messages.map(messageItem));
  transcript.scrollTop = transcript.scrollHeight;
  composer.hidden = !mine;
  renderTyping();
  // Re-rendering would wipe what the agent is typing into the shopper's details.
  if (!details.contains(document.activeElement) || details.dataset.conversation !== conversation.id) renderDetails(chat.view);
  details.dataset.conversation = conversation.id;
}

let headerActions: HTMLElement[] = [];

/** Name, presence, language, status and case of the selected chat; re-rendered alone when presence changes. */
function renderChatHeader(): void {
  const chat = state.selected ? state.open.get(state.selected) : undefined;
  if (!chat) return;
  const { conversation, handoff, shopper, caseTitle } = chat.view;
  const statusLabel = { bot: 'con el bot', waiting: 'esperando', agent: chat.view.agentName ? `con ${chat.view.agentName}` : 'con un agente', resolved: 'resuelta' }[conversation.status];
  keepingFocus(chatHeader, () => replaceChildren(
    chatHeader,
    h(
      'div',
      { class: 'who' },
      h('h2', {}, presenceDot(shopper), nameOf(conversation.id, shopper)),
      h('span', { class: 'meta' }, presenceText(shopper), ` · ${conversation.lang.toUpperCase()} · ${statusLabel}${handoff ? ` · ${reasonLabel(handoff.reason, caseTitle)}` : ''}`),
    ),
    h('div', { class: 'actions' }, ...headerActions),
  ));
}

/** Only the options change when agents come and go, so a focused picker stays focused. */
function fillTransferOptions(picker: HTMLSelectElement): void {
  const others = state.agents.filter((agent) => agent.online && agent.id !== state.me.id);
  replaceChildren(picker, h('option', { value: '' }, 'Transferir a…'), ...others.map((agent) => h('option', { value: agent.id }, `${agent.name} (${agent.openChats})`)));
  picker.disabled = others.length === 0;
}

function actionButton(label: string, kind: string, onClick: () => void): HTMLButtonElement {
  const button = h('button', { type: 'button', class: kind, 'data-focus': `action:${label}` }, label);
  button.addEventListener('click', onClick);
  return button;
}

const SENDER: Record<AgentMessage['from'], string> = { shopper: 'Cliente', bot: 'Bot', agent: 'Agente', system: 'Sistema' };

function messageItem(message: AgentMessage): HTMLElement {
  const isNote = message.kind === 'note';
  const who = isNote ? `Nota interna · ${message.authorName ?? ''}` : message.from === 'agent' ? message.authorName ?? 'Agente' : SENDER[message.from];
  const bot = message.from === 'bot' && message.entryId ? h('span', { class: 'match', title: `Lo que usó el bot: ${message.entryId}` }, `${message.entryTitle ?? message.entryId}${message.confidence !== undefined ? ` · confianza ${message.confidence.toFixed(2)}` : ''}${message.action ? ` · ${actionLabel(message.action)}` : ''}`) : null;
  return h(
    'li',
    { class: `msg from-${message.from}${isNote ? ' note' : ''}` },
    h('div', { class: 'msg-meta' }, h('span', { class: 'sender' }, who), message.via === 'email' ? h('span', { class: 'via' }, 'por correo') : null, bot, h('time', { datetime: message.createdAt }, formatTime(message.createdAt))),
    // Bot answers are markdown: agents read them formatted as the shopper did, through the same safe renderer.
    message.from === 'bot' ? h('div', { class: 'msg-text rich' }, renderRichText(message.text)) : h('p', { class: 'msg-text' }, message.text),
  );
}

function appendMessage(message: AgentMessage): void {
  const nearBottom = transcript.scrollHeight - transcript.scrollTop - transcript.clientHeight < 80;
  transcript.append(messageItem(message));
  if (nearBottom || message.from === 'agent') transcript.scrollTop = transcript.scrollHeight;
}

function renderTyping(): void {
  const chat = state.selected ? state.open.get(state.selected) : undefined;
  typingLine.textContent = chat?.shopperTyping ? 'El cliente está escribiendo…' : '';
}

function renderDetails(view: ConversationView): void {
  const { conversation, previous } = view;
  const name = h('input', { id: 'shopper-name', maxlength: '80', autocomplete: 'off', value: conversation.shopperName ?? '' });
  const email = h('input', { id: 'shopper-email', type: 'email', maxlength: '254', autocomplete: 'off', value: conversation.shopperEmail ?? '' });
  const form = h(
    'form',
    { class: 'shopper-form' },
    h('label', { for: 'shopper-name' }, 'Nombre'),
    name,
    h('label', { for: 'shopper-email' }, 'Correo'),
    email,
    h('button', { type: 'submit', class: 'small' }, 'Guardar datos'),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    if (email.value && !email.checkValidity()) return notice('Ese correo no parece válido.');
    socket.send({
      type: 'shopper_details',
      conversationId: conversation.id,
      ...(name.value.trim() ? { name: name.value.trim() } : {}),
      ...(email.value.trim() ? { email: email.value.trim() } : {}),
    });
  });
  replaceChildren(
    details,
    h('h3', {}, view.shopper.verified ? 'Cliente (verificado por la tienda)' : 'Cliente'),
    form,
    h(
      'dl',
      {},
      h('dt', {}, 'Idioma'),
      h('dd', {}, conversation.lang === 'es' ? 'Español' : 'English'),
      h('dt', {}, 'Página'),
      h('dd', { class: 'page' }, conversation.page ?? '—'),
      h('dt', {}, 'Desde'),
      h('dd', {}, `${formatDate(conversation.createdAt)} ${formatTime(conversation.createdAt)}`),
    ),
    view.ratings.length ? h('h3', {}, 'Valoración del cliente') : null,
    ...view.ratings.map((entry) => h('p', { class: 'rating' }, h('strong', {}, `${entry.rating}/5`), entry.comment ? ` · «${entry.comment}»` : '', ` · ${formatDate(entry.createdAt)}`)),
    h('h3', {}, 'Conversaciones anteriores'),
    previous.length
      ? h('ul', { class: 'previous' }, ...previous.map((p) => h('li', {}, h('span', {}, formatDate(p.createdAt)), ` ${p.firstMessage ?? '(sin mensajes)'}`, p.matchedBy === 'email' && view.shopper.verified ? h('span', { class: 'unverified' }, ' · mismo correo, sin verificar') : null)))
      : h('p', { class: 'empty' }, conversation.shopperEmail || view.shopper.verified ? 'Ninguna.' : 'Guarda su correo para buscarlas.'),
  );
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
}

/** Markdown marks out of a preview (the inserted text keeps them: the widget renders them). */
function plain(markdown: string): string {
  return markdown.replace(/\*\*|__|\[\[|\]\]/g, '').replace(/^\s*-\s+/gm, '• ').replace(/\s+/g, ' ');
}

/** Puts a knowledge-base answer in the reply box for editing; never sends it by itself. */
function insertCanned(answer: string): void {
  setMode('reply');
  const { selectionStart, selectionEnd, value } = replyInput;
  replyInput.value = value.slice(0, selectionStart) + answer + value.slice(selectionEnd);
  replyInput.focus();
  replyInput.selectionStart = replyInput.selectionEnd = selectionStart + answer.length;
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

function setMode(mode: 'reply' | 'note'): void {
  state.mode = mode;
  modeReply.setAttribute('aria-pressed', String(mode === 'reply'));
  modeNote.setAttribute('aria-pressed', String(mode === 'note'));
  composer.classList.toggle('noting', mode === 'note');
  replyInput.placeholder = mode === 'note' ? 'Nota solo para el equipo (el cliente no la ve)…' : 'Escribe tu respuesta…';
  sendButton.textContent = mode === 'note' ? 'Guardar nota' : 'Enviar';
}

function onActivate(element: HTMLElement, action: () => void): void {
  element.addEventListener('click', action);
  element.addEventListener('keydown', (event) => {
    // Enter/Space on a button inside the card (e.g. "Tomar") belongs to that button.
    if (event.target !== element) return;
    if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      action();
    }
  });
}

// ——— Composer ———

function stopTyping(): void {
  clearTimeout(typingTimer);
  if (typingSentFor) socket.send({ type: 'typing', conversationId: typingSentFor, isTyping: false });
  typingSentFor = null;
}

replyInput.addEventListener('input', () => {
  if (state.mode !== 'reply' || !state.selected) return;
  if (typingSentFor !== state.selected) {
    stopTyping();
    if (socket.send({ type: 'typing', conversationId: state.selected, isTyping: true })) typingSentFor = state.selected;
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
  if (!text || !state.selected) return;
  const clientMessageId = `c${Date.now().toString(36)}${sequence++}`;
  const sent = socket.send({ type: state.mode === 'note' ? 'note' : 'message', conversationId: state.selected, clientMessageId, text });
  if (!sent) return notice('Sin conexión: el mensaje no se envió.');
  unacknowledged.set(clientMessageId, { conversationId: state.selected, mode: state.mode, text });
  replyInput.value = '';
  stopTyping();
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

renderAll();
socket.connect();
