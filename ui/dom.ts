// Elements built from data, never from HTML strings: every text a record or an answer holds goes in as a text
// node, so nothing the emulator stores can run as script in the page (and the page's CSP allows none inline).
type Child = Node | string | number | null | undefined | false | readonly Child[];
type Listener = (event: Event) => void;
export type Attrs = Record<string, string | number | boolean | null | undefined | Listener>;

/** Properties set as properties, not attributes: what a user changes after the element is made. */
const PROPERTIES = new Set(['value', 'checked', 'selected', 'disabled']);

function append(parent: Node, child: Child): void {
  if (child === null || child === undefined || child === false) return;
  if (Array.isArray(child)) {
    for (const c of child) append(parent, c);
  } else if (child instanceof Node) {
    parent.appendChild(child);
  } else {
    parent.appendChild(document.createTextNode(String(child)));
  }
}

/** `h('button', { type: 'button', onclick: f }, 'Save')`: attributes, `on*` listeners, then children. */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (typeof value === 'function') {
      element.addEventListener(name.slice(2), value);
    } else if (PROPERTIES.has(name)) {
      (element as unknown as Record<string, unknown>)[name] = value;
    } else if (value === true) {
      element.setAttribute(name, '');
    } else if (value !== false && value !== null && value !== undefined) {
      element.setAttribute(name, String(value));
    }
  }
  append(element, children);
  return element;
}

/** Replace an element's children. */
export function fill(parent: Element, ...children: Child[]): void {
  parent.replaceChildren();
  append(parent, children);
}

let counter = 0;
/** A unique id for label/aria wiring. */
export function uid(prefix: string): string {
  counter += 1;
  return `${prefix}-${counter}`;
}

/** A labelled control: `<label for>` and the control, in one wrapper. */
export function field(label: string, control: HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement, hint?: string): HTMLElement {
  control.id ||= uid('field');
  const hintId = hint === undefined ? undefined : `${control.id}-hint`;
  if (hintId !== undefined) control.setAttribute('aria-describedby', hintId);
  return h('div', { class: 'field' }, h('label', { for: control.id }, label), control, hint === undefined ? null : h('small', { id: hintId }, hint));
}

/** A checkbox with its label after it. */
export function checkbox(label: string, control: HTMLInputElement): HTMLElement {
  control.id ||= uid('check');
  return h('div', { class: 'check' }, control, h('label', { for: control.id }, label));
}

export function option(value: string, label: string, selected = false): HTMLOptionElement {
  return h('option', { value, selected }, label);
}

/**
 * A message area: role=alert for failures (read out at once), status otherwise. The region stays in the page,
 * empty and out of sight (`.message:empty`), so a screen reader watches it before its text arrives: one shown
 * and filled in the same step is often not announced. Showing the text it already holds sets nothing, so a
 * poll that fails the same way each second is not read out each second.
 */
export function message(kind: 'error' | 'info'): { element: HTMLElement; show(text: string): void; clear(): void } {
  const element = h('p', { class: `message ${kind}`, role: kind === 'error' ? 'alert' : 'status' });
  return {
    element,
    show(text: string) {
      if (element.textContent !== text) element.textContent = text;
    },
    clear() {
      element.textContent = '';
    },
  };
}

/**
 * A question asked before an action that deletes or replaces (Delete…, Reset tenant…): shown where it sits, focus
 * moved to it so that a screen reader reads the question and Tab reaches its two buttons next. Its cancel button or
 * Escape hides it and gives focus back to the control that asked; the confirm button hides it and runs the action,
 * which says where focus goes next.
 */
export function confirmation(
  question: string,
  confirmLabel: string,
  cancelLabel: string,
  confirmed: () => void,
): { element: HTMLElement; ask(from: Element | null): void; hide(): void } {
  const questionId = uid('question');
  const element = h('div', { class: 'confirm', role: 'group', 'aria-labelledby': questionId, tabindex: -1, hidden: true });
  let asker: Element | null = null;
  const cancel = () => {
    element.hidden = true;
    if (asker instanceof HTMLElement && asker.isConnected) asker.focus();
  };
  fill(
    element,
    h('span', { id: questionId }, question),
    h(
      'button',
      {
        type: 'button',
        class: 'danger',
        onclick: () => {
          element.hidden = true;
          confirmed();
        },
      },
      confirmLabel,
    ),
    h('button', { type: 'button', class: 'secondary', onclick: cancel }, cancelLabel),
  );
  element.addEventListener('keydown', (event) => {
    if (event.key !== 'Escape') return;
    event.preventDefault();
    // Escape answers the question only: a panel around it stays open.
    event.stopPropagation();
    cancel();
  });
  return {
    element,
    ask(from) {
      asker = from;
      element.hidden = false;
      element.focus();
    },
    hide() {
      element.hidden = true;
    },
  };
}

/**
 * Runs `redraw`, which replaces the elements inside `region`, and puts focus back where it was: on the new element
 * with the same `data-focus` key as the one that had it, else on `fallback` (the region's heading, say). Focus left
 * on a removed element falls to the page's body, and the next Tab starts again at the top of the page.
 */
export function keepingFocus(region: Element, redraw: () => void, fallback?: () => HTMLElement | null): void {
  const had = document.activeElement;
  const inside = had !== null && region.contains(had);
  const key = inside ? (had as HTMLElement).dataset['focus'] : undefined;
  redraw();
  // Still focused and usable: nothing to do. A disabled button keeps focus for a moment, then loses it to the body.
  if (!inside || (document.activeElement === had && !(had as HTMLButtonElement).disabled)) return;
  const again = key === undefined ? null : region.querySelector<HTMLElement>(`[data-focus="${CSS.escape(key)}"]`);
  // An element that is still there (a field moved, not replaced) takes its focus back.
  const back = had.isConnected && !(had as HTMLButtonElement).disabled ? (had as HTMLElement) : null;
  (again ?? back ?? fallback?.() ?? null)?.focus();
}

export function formatNumber(n: number): string {
  return n.toLocaleString('en-US');
}

/** A JSON value for reading: two-space indented. */
export function prettyJson(value: unknown): string {
  return JSON.stringify(value, null, 2);
}
