// One record beside the table: its JSON as Graph answers GET /{id}, and create, edit and delete through the Graph
// routes, so a bad body is refused with Graph's own message, shown as it came.
import { type CollectionView, editableBody } from './collections.js';
import { fill, h, message, prettyJson } from './dom.js';
import { ApiError, EM, graph } from './http.js';
import { tenants } from './tenants.js';

type Row = Record<string, unknown>;

export interface RecordPanel {
  element: HTMLElement;
  show(view: CollectionView, id: string): Promise<void>;
  create(view: CollectionView): void;
  close(): void;
}

/** `changed` runs after a create, update or delete (the table reloads); `created` gets the new record's id. */
export function recordPanel(changed: (createdId?: string) => void): RecordPanel {
  const element = h('aside', { class: 'record', 'aria-labelledby': 'record-title', hidden: true });
  const title = h('h2', { id: 'record-title', tabindex: -1 });
  const body = h('div');
  const error = message('error');
  fill(element, title, error.element, body);

  const close = () => {
    element.hidden = true;
    error.clear();
  };
  const closeButton = () => h('button', { type: 'button', class: 'secondary', onclick: close }, 'Close');

  const editor = (view: CollectionView, initial: Row, submitLabel: string, submit: (value: Row) => Promise<void>) => {
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
      try {
        await submit(value as Row);
      } catch (err) {
        error.show(err instanceof ApiError ? err.text : String(err));
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
    element.hidden = false;
    error.clear();
    title.textContent = `${view.label}: loading…`;
    fill(body);
    let record: Row;
    try {
      record = (await graph<Row>('GET', itemUrl(view, id), tenants.tid())).body;
    } catch (err) {
      title.textContent = view.label;
      error.show(err instanceof ApiError ? err.text : String(err));
      fill(body, closeButton());
      return;
    }
    title.textContent = String(record['displayName'] ?? record['id']);
    const confirmDelete = h('div', { class: 'confirm', hidden: true });
    const remove = async () => {
      try {
        await graph('DELETE', itemUrl(view, id), tenants.tid());
        close();
        changed();
      } catch (err) {
        error.show(err instanceof ApiError ? err.text : String(err));
      }
    };
    fill(
      confirmDelete,
      h('span', {}, 'Delete this record through Graph?'),
      h('button', { type: 'button', class: 'danger', onclick: remove }, 'Delete'),
      h('button', { type: 'button', class: 'secondary', onclick: () => (confirmDelete.hidden = true) }, 'Keep'),
    );
    const edit = () =>
      editor(view, editableBody(record), 'Save', async (value) => {
        await graph(view.update ?? 'PATCH', itemUrl(view, id), tenants.tid(), value);
        changed();
        await show(view, id);
      });
    fill(
      body,
      h('pre', { class: 'json', tabindex: 0, 'aria-label': 'Record JSON' }, prettyJson(record)),
      h(
        'div',
        { class: 'actions' },
        view.update === undefined ? null : h('button', { type: 'button', onclick: edit }, 'Edit'),
        h('button', { type: 'button', class: 'danger', onclick: () => (confirmDelete.hidden = false) }, 'Delete…'),
        closeButton(),
      ),
      confirmDelete,
    );
    title.focus();
  };

  const create = (view: CollectionView) => {
    element.hidden = false;
    error.clear();
    title.textContent = `New: ${view.label}`;
    editor(view, { ...view.template }, 'Create', async (value) => {
      const answer = await graph<Row>('POST', `${EM}/${view.entitySet}`, tenants.tid(), value);
      const id = String(answer.body['id']);
      changed(id);
      await show(view, id);
    });
  };

  return { element, show, create, close };
}
