import type { TextKey } from '../../../src/channels/console-text';
import { visitorTag } from '../../../src/handoff/views';
import type { Channel } from '../../../src/store/conversations';
import { consoleLang, t } from './i18n';

/** Tiny DOM helpers: every piece of text goes in through textContent, so nothing is ever parsed as HTML. */

type Attributes = Record<string, string | boolean | undefined>;
type Child = Node | string | null | undefined | false;

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attributes: Attributes = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === false) continue;
    if (value === true) element.setAttribute(name, '');
    else element.setAttribute(name, value);
  }
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    element.append(typeof child === 'string' ? document.createTextNode(child) : child);
  }
  return element;
}

export function replaceChildren(parent: Element, ...children: Child[]): void {
  parent.replaceChildren(...children.filter((c): c is Node | string => c !== null && c !== undefined && c !== false));
}

/**
 * Re-renders a region without losing the keyboard: if focus was on an element carrying `data-focus`
 * inside it, the new element with the same key gets focus back; with none, `fallback` gets it.
 */
export function keepingFocus(region: Element, render: () => void, fallback?: HTMLElement): void {
  const active = document.activeElement;
  const inside = active instanceof HTMLElement && region.contains(active);
  const key = inside ? active.dataset.focus : undefined;
  // Where the caret was in a text field (null for fields without one, such as type=email).
  const caret = active instanceof HTMLInputElement || active instanceof HTMLTextAreaElement ? [active.selectionStart, active.selectionEnd] : [null, null];
  render();
  const again = key === undefined ? undefined : [...region.querySelectorAll<HTMLElement>('[data-focus]')].find((element) => element.dataset.focus === key);
  again?.focus();
  // The focused control is gone ("Resolver" after resolving): somewhere near, not the top of the page.
  if (inside && !again && active?.isConnected === false) fallback?.focus();
  const [start, end] = caret;
  if (start !== null && end !== null && (again instanceof HTMLInputElement || again instanceof HTMLTextAreaElement)) again.setSelectionRange(start, end);
}

/** "hace 3 min", from seconds. */
export function formatWait(seconds: number): string {
  if (seconds < 60) return `${Math.max(0, Math.round(seconds))} s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min`;
  return `${Math.floor(seconds / 3600)} h ${Math.floor((seconds % 3600) / 60)} min`;
}

export function formatTime(iso: string): string {
  return new Date(iso).toLocaleTimeString(consoleLang(), { hour: '2-digit', minute: '2-digit' });
}

export function formatDate(iso: string): string {
  return new Date(iso).toLocaleDateString(consoleLang(), { day: 'numeric', month: 'short', year: 'numeric' });
}

const REASONS = ['button', 'human-request', 'complaint', 'negative-sentiment', 'low-confidence', 'whatsapp-window'];

/** `caseTitle`: the FAQ's title for `faq:<id>` reasons, from the server's knowledge base. */
export function reasonLabel(reason: string, caseTitle?: string): string {
  if (reason.startsWith('faq:')) return caseTitle ?? t('reason.faq');
  return REASONS.includes(reason) ? t(`reason.${reason}` as TextKey) : reason;
}

export function channelName(channel: Channel): string {
  return t(`channel.${channel}`);
}

/** What the bot did with a message, in the agent's words. */
const ACTIONS = ['answer', 'clarify', 'escalate', 'fallback'];

export function actionLabel(action: string): string {
  return ACTIONS.includes(action) ? t(`action.${action}` as TextKey) : action;
}

/** "en línea", "se fue hace 3 min", or "desconectado" when we have not seen them since the server started. */
export function presenceLabel(shopper: { online: boolean; leftAt: string | null }, now = Date.now()): string {
  if (shopper.online) return t('presence.online');
  if (!shopper.leftAt) return t('presence.unknown');
  const seconds = (now - Date.parse(shopper.leftAt)) / 1000;
  return seconds < 60 ? t('presence.justLeft') : t('presence.left', { wait: formatWait(seconds) });
}

/** What the server says of a shopper's name: theirs, or none and a tag to tell anonymous shoppers apart. */
interface ShopperNaming {
  displayName: string | null;
  visitorTag: string;
}

/** The shopper's name, or "Visitante 4F2" / "Visitor 4F2" in the agent's language. */
export function shopperName(shopper: ShopperNaming, tag = shopper.visitorTag): string {
  return shopper.displayName ?? t('card.visitor', { tag });
}

/**
 * The names on screen, told apart: "Visitante 4F2" has 4,096 values, so two chats on screen may share
 * one (as two shoppers may share "Ana"); those get a longer tag from their conversation id.
 */
export function distinctNames(items: ReadonlyArray<{ conversationId: string; shopper: ShopperNaming }>): Map<string, string> {
  const count = new Map<string, number>();
  for (const { shopper } of items) {
    const name = shopperName(shopper);
    count.set(name, (count.get(name) ?? 0) + 1);
  }
  const names = new Map<string, string>();
  for (const { conversationId, shopper } of items) {
    const name = shopperName(shopper);
    const longTag = visitorTag(conversationId, 6);
    const shared = (count.get(name) ?? 0) > 1;
    names.set(conversationId, !shared ? name : shopper.displayName === null ? shopperName(shopper, longTag) : `${name} (${longTag})`);
  }
  return names;
}

/**
 * A card's name, as a real button: the card's one keyboard stop, which a screen reader calls a button and
 * reads with the card's reason (`describedBy`). A click anywhere on the card does the same.
 */
export function cardOpener(card: HTMLElement, name: string, describedBy: string, action: () => void, attributes: Attributes = {}): HTMLButtonElement {
  const opener = h('button', { type: 'button', class: 'card-open', 'aria-describedby': describedBy, ...attributes }, h('strong', {}, name));
  // The opener's own click bubbles here too; other buttons on the card ("Tomar") stop theirs.
  card.addEventListener('click', action);
  return opener;
}
