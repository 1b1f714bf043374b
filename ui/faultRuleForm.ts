// The faults view's form that adds a rule (POST /_emulator/faults): a template's effect fields, the match fields
// every rule has, and the rule's JSON as it will be sent; a refusal's message next to the button, with the field it
// names marked invalid for a screen reader.
import { field, fill, h, message, option, prettyJson, uid } from './dom.js';
import { adminJson, ApiError, describeError } from './http.js';
import { describeEffect, describeMatch, FAULT_TEMPLATES, type FaultTemplate, fieldNamed, type MatchFields, ruleOf, type StoredRule } from './faultTemplates.js';

/** The form, and its first field (where focus goes when no rule is left to delete); `onAdded` once a rule is added. */
export function addRuleForm(onAdded: () => Promise<void>): { form: HTMLFormElement; firstField: HTMLSelectElement } {
  const template = h('select', {}, ...FAULT_TEMPLATES.map((t) => option(t.id, t.label)));
  const effectArea = h('div', { class: 'fields' });
  const method = h('select', {}, option('', 'any'), ...['GET', 'POST', 'PATCH', 'PUT', 'DELETE'].map((m) => option(m, m)));
  const match = {
    name: h('input', { type: 'text', autocomplete: 'off' }),
    path: h('input', { type: 'text', placeholder: '/beta/**/accessPackages', autocomplete: 'off' }),
    probability: h('input', { type: 'number', min: 0, max: 1, step: 'any', placeholder: '1' }),
    after: h('input', { type: 'number', min: 0, step: 1, placeholder: '0' }),
    every: h('input', { type: 'number', min: 1, step: 1, placeholder: '1' }),
    times: h('input', { type: 'number', min: 1, step: 1, placeholder: 'unlimited' }),
  };
  // Not a live region: it changes on every keystroke. A named region a keyboard can scroll.
  const preview = h('pre', { class: 'json', role: 'region', tabindex: 0, 'aria-label': 'Rule JSON' });
  // The answer to Add rule, next to its button; a field Graph's message names is marked invalid.
  const formError = message('error');
  const formInfo = message('info');
  formError.element.id = uid('add-error');
  let effectInputs: Record<string, HTMLInputElement | HTMLSelectElement> = {};
  const chosen = (): FaultTemplate => FAULT_TEMPLATES.find((t) => t.id === template.value) ?? FAULT_TEMPLATES[0]!;
  const rule = () => {
    const effect = Object.fromEntries(Object.entries(effectInputs).map(([k, input]) => [k, input.value]));
    const fields: MatchFields = { method: method.value, ...Object.fromEntries(Object.entries(match).map(([k, input]) => [k, input.value])) };
    return ruleOf(chosen(), effect, fields);
  };
  const update = () => (preview.textContent = prettyJson(rule()));
  const showTemplate = () => {
    const t = chosen();
    effectInputs = {};
    fill(
      effectArea,
      t.fields.map((f) => {
        const input = f.choices
          ? h('select', {}, ...f.choices.map((c) => option(c, c, c === f.initial)))
          : h('input', { type: 'number', min: 0, step: 1, value: f.initial });
        input.addEventListener('input', update);
        effectInputs[f.key] = input;
        return field(f.label, input, f.hint);
      }),
    );
    // A template that names a method sets it; one that names none leaves the method the person chose.
    if (t.method !== undefined) method.value = t.method;
    else if (!methodChosen) method.value = '';
    update();
  };
  let methodChosen = false;
  method.addEventListener('change', () => (methodChosen = true));
  template.addEventListener('change', showTemplate);
  for (const input of [method, ...Object.values(match)]) input.addEventListener('input', update);
  const inputs = (): Record<string, HTMLInputElement | HTMLSelectElement> => ({ ...match, method, ...effectInputs });
  const unmark = () => {
    for (const input of [template, ...Object.values(inputs())]) {
      input.removeAttribute('aria-invalid');
      const described = (input.getAttribute('aria-describedby') ?? '').split(' ').filter((id) => id !== '' && id !== formError.element.id);
      if (described.length > 0) input.setAttribute('aria-describedby', described.join(' '));
      else input.removeAttribute('aria-describedby');
    }
  };
  const submit = async (event: Event) => {
    event.preventDefault();
    unmark();
    try {
      const added = await adminJson<StoredRule>('POST', '/_emulator/faults', rule());
      formError.clear();
      formInfo.show(`Added rule: ${describeEffect(added)} on ${describeMatch(added)}.`);
      await onAdded();
    } catch (err) {
      formInfo.clear();
      formError.show(describeError(err));
      const key = fieldNamed(err instanceof ApiError ? err.message : '');
      const input = key === undefined ? undefined : inputs()[key];
      if (input !== undefined) {
        input.setAttribute('aria-invalid', 'true');
        input.setAttribute('aria-describedby', [input.getAttribute('aria-describedby'), formError.element.id].filter(Boolean).join(' '));
      }
    }
  };
  showTemplate();
  const form = h(
    'form',
    {
      class: 'panel',
      'aria-labelledby': 'add-title',
      onsubmit: submit,
      // A field edited after a refusal is no longer the one the message is about.
      oninput: (event: Event) => (event.target as Element).removeAttribute('aria-invalid'),
    },
    h('h2', { id: 'add-title' }, 'Add a rule'),
    field('Template', template),
    effectArea,
    h(
      'fieldset',
      { class: 'fields' },
      h('legend', {}, 'Match'),
      field('Name', match.name),
      field('Method', method),
      field('Path (glob)', match.path),
      field('Probability', match.probability),
      field('After', match.after, 'matches let through first'),
      field('Every', match.every, 'fire on every n-th match'),
      field('Times', match.times, 'at most'),
    ),
    preview,
    h('button', { type: 'submit' }, 'Add rule'),
    formInfo.element,
    formError.element,
  );
  return { form, firstField: template };
}
