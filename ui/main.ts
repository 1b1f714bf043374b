// The admin page's shell: the header (views, tenant picker, ADMIN_TOKEN state), the ADMIN_TOKEN dialog, and the
// view named by the URL: /_emulator/ and /_emulator/ui/data, /_emulator/ui/requests, /_emulator/ui/faults.
import { dataView } from './dataView.js';
import { fill, h, keepingFocus, option } from './dom.js';
import { faultsView } from './faultsView.js';
import { adminTokenDeclined, askForAdminTokenAgain, forgetAdminToken, onAdminTokenNeeded, onAdminTokenState, storedAdminToken } from './http.js';
import { requestsView } from './requestsView.js';
import { tenants } from './tenants.js';

const VIEWS = {
  data: { label: 'Data', mount: dataView },
  requests: { label: 'Requests', mount: requestsView },
  faults: { label: 'Faults', mount: faultsView },
} as const;
type ViewName = keyof typeof VIEWS;

const BASE = '/_emulator/ui/';
/** A tenant id as the emulator takes one (docs/security.md): 1 to 128 letters, digits, `.`, `-` or `_`. */
const TENANT_ID = /^[A-Za-z0-9._-]{1,128}$/;

function viewOf(pathname: string): ViewName {
  // The server routes the page's paths in any case (/_emulator/UI/faults), so the view is read in any case too.
  const path = pathname.toLowerCase();
  const name = path.startsWith(BASE) ? path.slice(BASE.length).split('/')[0] : '';
  return name !== undefined && Object.hasOwn(VIEWS, name) ? (name as ViewName) : 'data';
}

/** The dialog that asks for ADMIN_TOKEN; resolves with it, or null on cancel. */
function adminTokenDialog(): (reason: string) => Promise<string | null> {
  const input = h('input', { type: 'password', id: 'admin-token', autocomplete: 'off', required: true });
  const reasonText = h('p', { id: 'admin-token-reason' });
  const dialog = h(
    'dialog',
    { 'aria-labelledby': 'admin-token-title', 'aria-describedby': 'admin-token-reason' },
    h(
      'form',
      { method: 'dialog', class: 'stack' },
      h('h2', { id: 'admin-token-title' }, 'ADMIN_TOKEN'),
      reasonText,
      h('label', { for: 'admin-token' }, 'The token this emulator was started with (kept for this tab only)'),
      input,
      h(
        'div',
        { class: 'actions' },
        h('button', { type: 'submit', value: 'ok' }, 'Use token'),
        h('button', { type: 'submit', value: 'cancel', class: 'secondary', formnovalidate: true }, 'Cancel'),
      ),
    ),
  );
  document.body.append(dialog);
  let pending: Promise<string | null> | undefined;
  return (reason) => {
    // Several calls may be refused at once: one question answers them all.
    pending ??= new Promise<string | null>((resolve) => {
      reasonText.textContent = reason;
      input.value = '';
      dialog.addEventListener(
        'close',
        () => {
          pending = undefined;
          resolve(dialog.returnValue === 'ok' && input.value !== '' ? input.value : null);
        },
        { once: true },
      );
      dialog.showModal();
      input.focus();
    });
    return pending;
  };
}

function start(): void {
  const main = h('main', { id: 'main', tabindex: -1 });
  const nav = h('nav', { 'aria-label': 'Views' });
  const picker = h('select', { id: 'tenant-picker' });
  const other = h('input', { type: 'text', id: 'tenant-other', placeholder: 'tenant id', hidden: true, 'aria-label': 'Other tenant id' });
  const tokenState = h('span', { class: 'token-state' });
  let unmount: (() => void) | undefined;

  const forget = () => {
    forgetAdminToken();
    renderTokenState();
  };
  const renderTokenState = () => {
    // After a cancel, the way back: the views' calls ask for the token again, the view in sight first.
    const enter = () => {
      askForAdminTokenAgain();
      show(viewOf(location.pathname));
    };
    keepingFocus(
      tokenState,
      () =>
        fill(
          tokenState,
          storedAdminToken() !== null
            ? h('button', { type: 'button', class: 'secondary', 'data-focus': 'token', onclick: forget }, 'Forget ADMIN_TOKEN')
            : adminTokenDeclined()
              ? h('button', { type: 'button', 'data-focus': 'token', onclick: enter }, 'Enter ADMIN_TOKEN')
              : null,
        ),
      () => main,
    );
  };

  const renderPicker = () => {
    fill(
      picker,
      tenants.list.map((t) => option(t.id, t.isDefault && t.id !== 'default' ? `${t.id} (default)` : t.id, t === tenants.current)),
      tenants.available ? option('', 'Other tenant…') : null,
    );
    picker.disabled = !tenants.available;
    picker.title = tenants.available ? '' : 'One tenant: this emulator has no tenants API.';
  };

  /** The path and query of the view on screen: a link to `#main` changes neither, and leaves the view as it is. */
  let shownAt = '';
  const show = (name: ViewName) => {
    unmount?.();
    shownAt = location.pathname + location.search;
    fill(
      nav,
      Object.entries(VIEWS).map(([key, v]) =>
        h('a', { href: `${BASE}${key}${location.search}`, 'aria-current': key === name ? 'page' : null, 'data-view': key }, v.label),
      ),
    );
    document.title = `${VIEWS[name].label} · Graph accessPackages emulator`;
    unmount = VIEWS[name].mount(main);
    renderTokenState();
  };

  nav.addEventListener('click', (event) => {
    const link = (event.target as Element).closest('a');
    if (link === null || event.ctrlKey || event.metaKey || event.shiftKey || event.button !== 0) return;
    event.preventDefault();
    history.pushState(null, '', link.href);
    show(viewOf(location.pathname));
    main.focus({ preventScroll: true });
  });
  // Back and forward bring their URL's tenant back with their view; a change of the fragment alone is no new view.
  window.addEventListener('popstate', () => {
    if (location.pathname + location.search === shownAt) return;
    const wanted = new URLSearchParams(location.search).get('tenant') ?? tenants.defaultTenant().id;
    if (wanted !== tenants.current.id) tenants.choose(wanted);
    show(viewOf(location.pathname));
  });
  // A closed picker changes its value on each arrow key (Chromium on Linux and Windows fires 'change' for each):
  // the keyboard browses the tenants and Enter, or leaving the picker, switches to the one chosen (WCAG 3.2.2,
  // no change of context on input); a pick with the mouse switches at once. "Other tenant…" shows the id field
  // beside it, and moves focus there only when picked with the mouse or Enter.
  let byKey = false;
  const switchToPicked = (focusOther: boolean) => {
    byKey = false;
    if (picker.value === '') {
      other.hidden = false;
      if (focusOther) other.focus();
    } else if (picker.value !== tenants.current.id) {
      tenants.choose(picker.value);
    }
  };
  picker.addEventListener('keydown', (event) => {
    if (event.key === 'Enter') {
      event.preventDefault();
      switchToPicked(true);
    } else if (event.key !== 'Tab' && event.key !== 'Shift') {
      byKey = true;
    }
  });
  picker.addEventListener('mousedown', () => {
    byKey = false;
  });
  picker.addEventListener('change', () => {
    other.hidden = picker.value !== '' && other.value === '';
    if (!byKey) switchToPicked(true);
  });
  picker.addEventListener('blur', () => {
    if (byKey) switchToPicked(false);
  });
  other.addEventListener('change', () => {
    if (other.value.trim() === '') return;
    // The rule the emulator holds a tenant id to (docs/security.md): one it would refuse is not chosen.
    if (!TENANT_ID.test(other.value.trim())) {
      other.setCustomValidity('A tenant id is 1 to 128 letters, digits, ".", "-" or "_".');
      other.reportValidity();
      return;
    }
    other.setCustomValidity('');
    tenants.choose(other.value.trim());
    other.value = '';
    other.hidden = true;
    renderPicker();
  });
  tenants.onChange(() => {
    renderPicker();
    renderTokenState();
    // The views' links keep the tenant in view, as the page's own URL does.
    for (const link of nav.querySelectorAll('a')) link.href = `${BASE}${link.dataset['view']}${location.search}`;
  });

  fill(
    document.body,
    // To the content, and nowhere else: no history entry, the view as it was (filter, open record, page, Pause).
    h(
      'a',
      {
        class: 'skip',
        href: '#main',
        onclick: (event: Event) => {
          event.preventDefault();
          main.focus();
        },
      },
      'Skip to content',
    ),
    h(
      'header',
      {},
      h('h1', {}, 'Graph accessPackages emulator'),
      nav,
      h('div', { class: 'tenant' }, h('label', { for: 'tenant-picker' }, 'Tenant'), picker, other),
      tokenState,
    ),
    main,
  );
  onAdminTokenNeeded(adminTokenDialog());
  // Whether the tenants the emulator holds were read: not when the ADMIN_TOKEN dialog was cancelled at the start.
  let tenantsRead = false;
  const readTenants = () =>
    tenants.load().then(
      () => {
        tenantsRead = true;
      },
      () => undefined, // the views show what failed
    );
  onAdminTokenState(() => {
    renderTokenState();
    // A token given after a cancel: the tenants can be read now, and the picker offers them.
    if (!tenantsRead && storedAdminToken() !== null) {
      void readTenants().then(() => {
        if (tenantsRead) renderPicker();
      });
    }
  });
  renderPicker();
  void readTenants().then(() => {
    renderPicker();
    show(viewOf(location.pathname));
  });
}

start();
