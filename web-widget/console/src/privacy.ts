import { h, replaceChildren } from './dom';
import { t } from './i18n';

/**
 * The admin's privacy panel (a modal dialog, opened by the team bar's "Privacidad" link, /agent#privacy):
 * export everything Atento keeps about a shopper by e-mail, or erase it after a confirmation step that
 * says what will go. Both go through the admin-only routes of docs/roles.md; the server checks the role.
 */

interface ShopperExport {
  email: string;
  conversations: Array<{ messages: unknown[]; tickets: unknown[] }>;
}

interface Counts {
  conversations: number;
  messages: number;
  tickets: number;
}

const HASH = '#privacy';

export function privacyPanel(): { element: HTMLDialogElement; openOnHash: () => void } {
  const dialog = h('dialog', { class: 'privacy', 'aria-labelledby': 'privacy-title' });
  let download: string | undefined;

  dialog.addEventListener('close', () => {
    if (download) URL.revokeObjectURL(download);
    download = undefined;
    // Clicking the link again must open the panel again, so the hash goes once it is closed.
    if (location.hash === HASH) history.replaceState(null, '', location.pathname + location.search);
  });

  function open(): void {
    if (dialog.open) return;
    const email = h('input', { id: 'privacy-email', type: 'email', required: true, maxlength: '254', autocomplete: 'off' });
    const result = h('div', { class: 'privacy-result', role: 'status' });
    const exportButton = h('button', { type: 'submit', class: 'primary' }, t('privacy.export'));
    const forgetButton = h('button', { type: 'button', class: 'danger' }, t('privacy.forget'));
    const closeButton = h('button', { type: 'button' }, t('privacy.close'));
    const form = h(
      'form',
      { class: 'privacy-form' },
      h('label', { for: email.id }, t('privacy.email')),
      email,
      h('div', { class: 'privacy-actions' }, exportButton, forgetButton, closeButton),
    );
    replaceChildren(dialog, h('h2', { id: 'privacy-title' }, t('privacy.title')), h('p', {}, t('privacy.lead')), form, result);

    const valid = (): string | null => {
      const value = email.value.trim();
      if (value && email.checkValidity()) return value;
      show(h('p', { class: 'privacy-error' }, t('privacy.badEmail')));
      email.focus();
      return null;
    };
    const show = (...children: Node[]) => replaceChildren(result, ...children);

    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      const address = valid();
      if (!address) return;
      const record = await post<ShopperExport>('/agent/api/shoppers/export', address, show);
      if (!record) return;
      if (record.conversations.length === 0) return show(h('p', {}, t('privacy.nothing', { email: record.email })));
      if (download) URL.revokeObjectURL(download);
      download = URL.createObjectURL(new Blob([JSON.stringify(record, null, 2)], { type: 'application/json' }));
      const file = `shopper-${record.email.replace(/[^\w.@-]/g, '_')}.json`;
      const link = h('a', { href: download, download: file, class: 'button-link' }, t('privacy.download', { file }));
      show(h('p', {}, t('privacy.exported', { email: record.email, counts: countsText(countsOf(record)) })), link);
      link.focus();
    });

    forgetButton.addEventListener('click', async () => {
      const address = valid();
      if (!address) return;
      // The confirmation says what will go, from the same data an export would give.
      const record = await post<ShopperExport>('/agent/api/shoppers/export', address, show);
      if (!record) return;
      if (record.conversations.length === 0) return show(h('p', {}, t('privacy.nothing', { email: record.email })));
      const yes = h('button', { type: 'button', class: 'danger' }, t('privacy.confirmYes'));
      const cancel = h('button', { type: 'button' }, t('privacy.cancel'));
      show(h('div', { class: 'privacy-confirm', role: 'alert' }, h('p', {}, t('privacy.confirm', { email: record.email, counts: countsText(countsOf(record)) })), h('div', { class: 'privacy-actions' }, yes, cancel)));
      cancel.addEventListener('click', () => {
        show();
        forgetButton.focus();
      });
      yes.addEventListener('click', async () => {
        yes.disabled = true;
        const erased = await post<{ forgotten: Counts }>('/agent/api/shoppers/forget', record.email, show);
        if (!erased) return;
        show(h('p', {}, t('privacy.forgotten', { counts: countsText(erased.forgotten) })));
        email.value = '';
        email.focus();
      });
      cancel.focus();
    });
    closeButton.addEventListener('click', () => dialog.close());

    dialog.showModal();
    email.focus();
  }

  function openOnHash(): void {
    if (location.hash === HASH) open();
  }
  window.addEventListener('hashchange', openOnHash);
  return { element: dialog, openOnHash };
}

function countsOf(record: ShopperExport): Counts {
  return {
    conversations: record.conversations.length,
    messages: record.conversations.reduce((sum, c) => sum + c.messages.length, 0),
    tickets: record.conversations.reduce((sum, c) => sum + c.tickets.length, 0),
  };
}

function countsText(counts: Counts): string {
  return t('privacy.counts', { conversations: counts.conversations, messages: counts.messages, tickets: counts.tickets });
}

/** POSTs `{email}`; on failure shows the server's message (e.g. 403 role_forbidden) and gives null. */
async function post<T>(path: string, email: string, show: (...children: Node[]) => void): Promise<T | null> {
  try {
    const response = await fetch(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email }), credentials: 'same-origin' });
    const body = (await response.json().catch(() => ({}))) as T & { error?: { message?: string } };
    if (response.ok) return body;
    show(h('p', { class: 'privacy-error' }, t('privacy.failed', { reason: body.error?.message ?? String(response.status) })));
  } catch (error) {
    show(h('p', { class: 'privacy-error' }, t('privacy.failed', { reason: (error as Error).message })));
  }
  return null;
}
