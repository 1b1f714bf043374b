// One record beside the table: its JSON as Graph answers GET /{id}, and create, edit and delete through the Graph
// routes, so a bad body is refused with Graph's own message, shown as it came. What the panel shows is the last
// thing asked for: a request it replaces is abandoned (its connection closed, its answer dropped), and one with no
// answer in ANSWER_TIMEOUT_MS says so, as the table's pages do: a fault rule that holds Graph requests (`drop: hang`)
// cannot take the browser's few connections to the emulator away from the page.
import { type CollectionView, editableBody } from './collections.js';
import { confirmation, fill, h, message, prettyJson } from './dom.js';
import { EM, graph, graphFailureText, withinAnswerTime } from './http.js';
import { tenants } from './tenants.js';

type Row = Record<string, unknown>;

export interface RecordPanel {
  element: HTMLElement;
  show(view: CollectionView, id: string): Promise<void>;
  create(view: CollectionView): void;
  close(): void;
}

/** Where the panel reports to the view around it. */
export interface PanelPlace {
  /** A status the view shows once the panel is gone ("Deleted …"). */
  announce(text: string): void;
  /** Where focus goes when the control that opened the panel is gone (the table's heading). */
  landing(): HTMLElement;
}

/** `changed` runs after a create, update or delete (the table reloads); `created` gets the new record's id. */
export function recordPanel(changed: (createdId?: string) => void, place: PanelPlace): RecordPanel {
  const element = h('aside', { class: 'record', 'aria-labelledby': 'record-title', hidden: true });
  const title = h('h2', { id: 'record-title', tabindex: -1 });
  const body = h('div');
  const error = message('error');
  fill(element, title, error.element, body);

  // The panel's current request: a new one (another record, a create, a close) abandons it.
  let ticket = 0;
  let inFlight: AbortController | undefined;
  const begin = (): { mine: number; signal: AbortSignal } => {
    inFlight?.abort();
    inFlight = new AbortController();
    ticket += 1;
    return { mine: ticket, signal: withinAnswerTime(inFlight.signal) };
  };

  /** The control that opened the panel (a row's button, New…): Close and Escape give focus back to it. */
  let opener: Element | null = null;
  const hide = () => {
    begin();
    const hadFocus = element.contains(document.activeElement);
    element.hidden = true;
    error.clear();
    return hadFocus;
  };
  const close = () => {
    if (!hide()) return;
    if (opener instanceof HTMLElement && opener.isConnected) opener.focus();
    else place.landing().focus();
  };
  element.addEventListener('keydown', (event) => {
    if (event.key !== 'Escape' || element.hidden) return;
    event.preventDefault();
    close();
  });
  const closeButton = () => h('button', { type: 'button', class: 'secondary', onclick: close }, 'Close');

  const editor = (view: CollectionView, initial: Row, submitLabel: string, submit: (value: Row, signal: AbortSignal) => Promise<void>) => {
    const text = h('textarea', { id: 'record-json', rows: 18, spellcheck: false });
    text.value = prettyJson(initial);
    const save = async (event: Event) => {
      event.preventDefault();
      error.clear();
      let value: unknown;
      try {
        value = JSON.parse(text.value);
      } catch (err) {
        error.show(`Not JSON: ${(err as Error).message}`);
        return;
      }
      const { mine, signal } = begin();
      try {
        await submit(value as Row, signal);
      } catch (err) {
        if (mine === ticket) error.show(graphFailureText(err));
      }
    };
    fill(
      body,
      h(
        'form',
        { onsubmit: save },
        h('label', { for: 'record-json' }, `JSON body (${view.label})`),
        text,
        h('div', { class: 'actions' }, h('button', { type: 'submit' }, submitLabel), closeButton()),
      ),
    );
    text.focus();
  };

  const itemUrl = (view: CollectionView, id: string) => `${EM}/${view.entitySet}/${encodeURIComponent(id)}`;

  const show = async (view: CollectionView, id: string): Promise<void> => {
    const { mine, signal } = begin();
    if (!element.contains(document.activeElement)) opener = document.activeElement;
    element.hidden = false;
    error.clear();
    title.textContent = `${view.label}: loading…`;
    fill(body);
    let record: Row;
    try {
      record = (await graph<Row>('GET', itemUrl(view, id), tenants.tid(), undefined, signal)).body;
    } catch (err) {
      if (mine !== ticket) return;
      title.textContent = view.label;
      error.show(graphFailureText(err));
      fill(body, closeButton());
      return;
    }
    // A record asked for later (another row, a create, a close) is what the panel shows now.
    if (mine !== ticket) return;
    const name = String(record['displayName'] ?? record['id']);
    title.textContent = name;
    const remove = async () => {
      const { mine: removing, signal: removal } = begin();
      try {
        await graph('DELETE', itemUrl(view, id), tenants.tid(), undefined, removal);
      } catch (err) {
        if (removing === ticket) {
          error.show(graphFailureText(err));
          title.focus();
          return;
        }
        // Abandoned (the panel moved on): the record may be gone all the same, so the table is read again.
      }
      if (removing === ticket) {
        // Its row goes with the table's next page: focus lands on the table's heading, and the view says what went.
        hide();
        place.landing().focus();
        place.announce(`Deleted ${name}.`);
      }
      changed();
    };
    const confirmDelete = confirmation('Delete this record through Graph?', 'Delete', 'Keep', () => void remove());
    const edit = () =>
      editor(view, editableBody(record), 'Save', async (value, saving) => {
        const mine = ticket;
        await graph(view.update ?? 'PATCH', itemUrl(view, id), tenants.tid(), value, saving);
        changed();
        if (mine === ticket) await show(view, id);
      });
    fill(
      body,
      // A region, so that its name is allowed (ARIA gives <pre> none) and a keyboard scrolls it.
      h('pre', { class: 'json', role: 'region', tabindex: 0, 'aria-label': 'Record JSON' }, prettyJson(record)),
      h(
        'div',
        { class: 'actions' },
        view.update === undefined ? null : h('button', { type: 'button', onclick: edit }, 'Edit'),
        h('button', { type: 'button', class: 'danger', onclick: (event: Event) => confirmDelete.ask(event.currentTarget as Element) }, 'Delete…'),
        closeButton(),
      ),
      confirmDelete.element,
    );
    title.focus();
  };

  const create = (view: CollectionView) => {
    if (!element.contains(document.activeElement)) opener = document.activeElement;
    element.hidden = false;
    error.clear();
    title.textContent = `New: ${view.label}`;
    begin();
    editor(view, { ...view.template }, 'Create', async (value, creating) => {
      const mine = ticket;
      const answer = await graph<Row>('POST', `${EM}/${view.entitySet}`, tenants.tid(), value, creating);
      const id = String(answer.body['id']);
      changed(id);
      if (mine === ticket) await show(view, id);
    });
  };

  return { element, show, create, close };
}
