import type { ClientFrame } from '../../src/channels/protocol';
import type { UI_TEXT } from './i18n';

/** Option ids of the server's rating question (src/handoff/csat.ts). */
const CSAT_PREFIX = 'csat:';

export function isRatingQuestion(options: ReadonlyArray<{ id: string }> | undefined): boolean {
  return !!options?.length && options.every((option) => option.id.startsWith(CSAT_PREFIX));
}

/**
 * The 1–5 rating card under the server's rating question: five toggle buttons, an optional comment and
 * a send button, all reachable by keyboard. `send` returns false when offline (the card stays as it is).
 */
export function ratingCard(messageId: number, t: (typeof UI_TEXT)['es' | 'en'], send: (frame: ClientFrame) => boolean): HTMLElement {
  const card = document.createElement('form');
  card.className = 'rating';
  card.dataset.request = String(messageId);
  const group = document.createElement('div');
  group.className = 'rating-values';
  group.setAttribute('role', 'group');
  group.setAttribute('aria-label', t.rating);
  let chosen = 0;
  const buttons = [1, 2, 3, 4, 5].map((value) => {
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'chip';
    button.textContent = String(value);
    button.setAttribute('aria-label', t.ratingValue(value));
    button.setAttribute('aria-pressed', 'false');
    button.addEventListener('click', () => {
      chosen = value;
      buttons.forEach((other, index) => other.setAttribute('aria-pressed', String(index + 1 === value)));
      submit.disabled = false;
    });
    group.appendChild(button);
    return button;
  });
  const commentId = `atento-rating-${messageId}`;
  const label = document.createElement('label');
  label.htmlFor = commentId;
  label.textContent = t.ratingComment;
  const comment = document.createElement('textarea');
  comment.id = commentId;
  comment.rows = 2;
  comment.maxLength = 1000;
  const submit = document.createElement('button');
  submit.type = 'submit';
  submit.className = 'rating-send';
  submit.textContent = t.ratingSend;
  submit.disabled = true;
  card.append(group, label, comment, submit);
  card.addEventListener('submit', (event) => {
    event.preventDefault();
    if (!chosen) return;
    const text = comment.value.trim();
    send({ type: 'csat', messageId, rating: chosen, ...(text && { comment: text }) });
  });
  return card;
}

/** The server stored the rating: the card becomes a thank-you line. */
export function ratingSaved(card: Element, rating: number, t: (typeof UI_TEXT)['es' | 'en']): void {
  const thanks = document.createElement('p');
  thanks.className = 'rating-thanks';
  thanks.textContent = t.ratingThanks(rating);
  card.replaceWith(thanks);
}
