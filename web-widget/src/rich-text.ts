/**
 * The small markdown subset answers use, parsed into data (no HTML strings anywhere): paragraphs,
 * "- " or "1. " lists, **bold**, *italics* and http(s) links. Everything else stays plain text, and
 * the renderer only ever sets textContent, so nothing a message says can become markup.
 */

export type Inline =
  | { kind: 'text'; text: string }
  | { kind: 'bold'; text: string }
  | { kind: 'italic'; text: string }
  | { kind: 'link'; text: string; href: string };

export type Block = { kind: 'paragraph'; lines: Inline[][] } | { kind: 'list'; ordered: boolean; items: Inline[][] };

const INLINE = /\*\*([^*\n]+?)\*\*|\*([^*\s][^*\n]*?)\*|\[([^\]\n]+)\]\((https?:\/\/[^\s)]+)\)|(https?:\/\/[^\s<>()]+[^\s<>().,;:!?])/g;
const BULLET = /^\s*[-*•]\s+(.*)$/;
const NUMBERED = /^\s*\d+[.)]\s+(.*)$/;

export function parseInline(text: string): Inline[] {
  const parts: Inline[] = [];
  let last = 0;
  for (const match of text.matchAll(INLINE)) {
    const index = match.index ?? 0;
    if (index > last) parts.push({ kind: 'text', text: text.slice(last, index) });
    const [whole, bold, italic, linkText, linkHref, bareUrl] = match;
    if (bold !== undefined) parts.push({ kind: 'bold', text: bold });
    else if (italic !== undefined) parts.push({ kind: 'italic', text: italic });
    else if (linkText !== undefined && linkHref !== undefined) parts.push({ kind: 'link', text: linkText, href: linkHref });
    else if (bareUrl !== undefined) parts.push({ kind: 'link', text: bareUrl, href: bareUrl });
    else parts.push({ kind: 'text', text: whole });
    last = index + whole.length;
  }
  if (last < text.length) parts.push({ kind: 'text', text: text.slice(last) });
  return parts;
}

export function parseRichText(markdown: string): Block[] {
  const blocks: Block[] = [];
  for (const chunk of markdown.replace(/\r\n?/g, '\n').split(/\n\s*\n/)) {
    const lines = chunk.split('\n').filter((line) => line.trim() !== '');
    if (lines.length === 0) continue;
    let paragraph: Inline[][] = [];
    let list: { ordered: boolean; items: Inline[][] } | null = null;
    const flushParagraph = () => {
      if (paragraph.length > 0) blocks.push({ kind: 'paragraph', lines: paragraph });
      paragraph = [];
    };
    const flushList = () => {
      if (list) blocks.push({ kind: 'list', ...list });
      list = null;
    };
    for (const line of lines) {
      const bullet = BULLET.exec(line);
      const numbered = bullet ? null : NUMBERED.exec(line);
      const item = bullet ?? numbered;
      if (item) {
        flushParagraph();
        const ordered = numbered !== null;
        if (list && list.ordered !== ordered) flushList();
        list ??= { ordered, items: [] };
        list.items.push(parseInline(item[1]!.trim()));
      } else if (list && /^\s{2,}/.test(line)) {
        list.items[list.items.length - 1]!.push({ kind: 'text', text: ` ${line.trim()}` });
      } else {
        flushList();
        paragraph.push(parseInline(line.trim()));
      }
    }
    flushParagraph();
    flushList();
  }
  return blocks;
}

function renderInline(parts: Inline[], parent: Node, doc: Document): void {
  for (const part of parts) {
    if (part.kind === 'text') {
      parent.appendChild(doc.createTextNode(part.text));
      continue;
    }
    const element = doc.createElement(part.kind === 'bold' ? 'strong' : part.kind === 'italic' ? 'em' : 'a');
    element.textContent = part.text;
    if (part.kind === 'link') {
      const link = element as HTMLAnchorElement;
      link.href = part.href;
      link.target = '_blank';
      link.rel = 'noopener noreferrer';
    }
    parent.appendChild(element);
  }
}

export function renderRichText(markdown: string, doc: Document = document): DocumentFragment {
  const fragment = doc.createDocumentFragment();
  for (const block of parseRichText(markdown)) {
    if (block.kind === 'paragraph') {
      const p = doc.createElement('p');
      block.lines.forEach((line, i) => {
        if (i > 0) p.appendChild(doc.createElement('br'));
        renderInline(line, p, doc);
      });
      fragment.appendChild(p);
    } else {
      const list = doc.createElement(block.ordered ? 'ol' : 'ul');
      for (const item of block.items) {
        const li = doc.createElement('li');
        renderInline(item, li, doc);
        list.appendChild(li);
      }
      fragment.appendChild(list);
    }
  }
  return fragment;
}
