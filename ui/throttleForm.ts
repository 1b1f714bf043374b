// The faults view's throttling profile form: on or off, the token bucket's numbers, what names a client and whether
// Graph's throttle headers go with a 429. Made once; render sets its fields to the stored profile, so edits not
// applied yet stay while the view refreshes its counts. Apply keeps the focus where it is.
import { checkbox, field, h, option } from './dom.js';

export interface Throttle {
  capacity: number;
  refillPerSecond: number;
  key?: 'token' | 'client-request-id';
  headers?: boolean;
  /** The one tenant it throttles; absent: every tenant. */
  tenant?: string;
}

/** What the form edits of a profile: the rest (its tenant) is kept as stored. */
export type ThrottleEdit = Required<Omit<Throttle, 'tenant'>>;

export interface ThrottleForm {
  element: HTMLFormElement;
  /** The fields set to the stored profile (undefined: off). */
  render(profile: Throttle | undefined): void;
  /** The profile as the form has it now; null: throttling off. */
  edited(): ThrottleEdit | null;
}

/** `apply` is called on submit; it reads the form's values with `edited()` once it has the stored settings. */
export function throttleForm(apply: () => Promise<void>): ThrottleForm {
  const throttleOn = h('input', { type: 'checkbox' });
  const capacity = h('input', { type: 'number', min: 1, max: 1_000_000, step: 1, required: true });
  const refill = h('input', { type: 'number', min: 0.001, max: 1_000_000, step: 'any', required: true });
  const throttleKey = h('select', {}, option('token', 'bearer token'), option('client-request-id', 'client-request-id'));
  const throttleHeaders = h('input', { type: 'checkbox' });
  const throttleSummary = h('p', { class: 'muted' });
  const element = h(
    'form',
    {
      class: 'panel',
      'aria-labelledby': 'throttle-title',
      onsubmit: (event: Event) => {
        event.preventDefault();
        void apply();
      },
    },
    h('h2', { id: 'throttle-title' }, 'Throttling profile'),
    throttleSummary,
    checkbox('Throttle every client (token bucket)', throttleOn),
    h('div', { class: 'fields' }, field('Capacity (burst)', capacity), field('Refill per second', refill), field('Client is', throttleKey)),
    checkbox("Send Graph's throttle headers", throttleHeaders),
    h('p', { class: 'muted' }, 'Applying puts the rules back as they are: their counts start again.'),
    h('button', { type: 'submit' }, 'Apply'),
  );
  return {
    element,
    render(profile) {
      throttleOn.checked = profile !== undefined;
      capacity.value = String(profile?.capacity ?? 60);
      refill.value = String(profile?.refillPerSecond ?? 1);
      throttleKey.value = profile?.key === 'client-request-id' ? 'client-request-id' : 'token';
      throttleHeaders.checked = profile?.headers !== false;
      throttleSummary.textContent =
        profile === undefined
          ? 'Off.'
          : `On: ${profile.capacity} requests per client, ${profile.refillPerSecond} back per second${profile.tenant === undefined ? '' : `, tenant ${profile.tenant} only`}.`;
    },
    edited() {
      if (!throttleOn.checked) return null;
      return {
        capacity: Number(capacity.value),
        refillPerSecond: Number(refill.value),
        key: throttleKey.value as ThrottleEdit['key'],
        headers: throttleHeaders.checked,
      };
    },
  };
}
