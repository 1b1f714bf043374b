// The little XML the CSDL excerpts need (fixtures/csdl/*.xml): elements, attributes, comments and the
// declaration; no text content, no entities beyond the five predefined ones. Read into a tree, written back
// without the comments, so what $metadata serves is generated from the excerpt rather than copied from it.

export interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  children: XmlElement[];
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decodeEntities(value: string): string {
  return value.replace(/&(amp|lt|gt|quot|apos);/g, (_, name: string) => ENTITIES[name]!);
}

function encodeAttribute(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;');
}

const TOKEN = /<!--[\s\S]*?-->|<\?[\s\S]*?\?>|<\/([\w:.-]+)\s*>|<([\w:.-]+)((?:\s+[\w:.-]+="[^"]*")*)\s*(\/?)>|([^<]+)/g;
const ATTRIBUTE = /([\w:.-]+)="([^"]*)"/g;

/** The document's root element; throws on anything this subset does not read. */
export function parseXml(text: string): XmlElement {
  const root: XmlElement = { name: '#document', attributes: {}, children: [] };
  const open: XmlElement[] = [root];
  for (const match of text.matchAll(TOKEN)) {
    const [whole, closing, name, attrs, selfClosing, textContent] = match;
    if (textContent !== undefined) {
      if (textContent.trim() !== '') throw new Error(`Unexpected text in the CSDL excerpt: '${textContent.trim().slice(0, 40)}'.`);
    } else if (closing !== undefined) {
      const element = open.pop();
      if (element?.name !== closing) throw new Error(`Mismatched </${closing}> in the CSDL excerpt.`);
    } else if (name !== undefined) {
      const attributes: Record<string, string> = {};
      for (const [, key, value] of (attrs ?? '').matchAll(ATTRIBUTE)) attributes[key!] = decodeEntities(value!);
      const element: XmlElement = { name, attributes, children: [] };
      open.at(-1)!.children.push(element);
      if (selfClosing !== '/') open.push(element);
    } else if (!whole.startsWith('<!--') && !whole.startsWith('<?')) {
      throw new Error(`Unreadable markup in the CSDL excerpt: '${whole.slice(0, 40)}'.`);
    }
  }
  if (open.length !== 1 || root.children.length !== 1) throw new Error('The CSDL excerpt is not one well-formed document.');
  return root.children[0]!;
}

/** The element as indented XML, with the declaration when it is the document. */
export function serializeXml(element: XmlElement, declaration = true): string {
  const lines: string[] = declaration ? ['<?xml version="1.0" encoding="utf-8"?>'] : [];
  const write = (e: XmlElement, depth: number): void => {
    const indent = '  '.repeat(depth);
    const attrs = Object.entries(e.attributes)
      .map(([k, v]) => ` ${k}="${encodeAttribute(v)}"`)
      .join('');
    if (e.children.length === 0) {
      lines.push(`${indent}<${e.name}${attrs} />`);
      return;
    }
    lines.push(`${indent}<${e.name}${attrs}>`);
    for (const child of e.children) write(child, depth + 1);
    lines.push(`${indent}</${e.name}>`);
  };
  write(element, 0);
  return `${lines.join('\n')}\n`;
}

/** Child elements of one name. */
export function childrenNamed(element: XmlElement, name: string): XmlElement[] {
  return element.children.filter((c) => c.name === name);
}
