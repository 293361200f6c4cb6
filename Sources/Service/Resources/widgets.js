// One form widget per config field, chosen from the field's schema (see widgetKind), each with read() and
// write(). Ids come from the field's path: "f-" + the path with "." as "-" (training.batch_size → f-training-batch_size);
// parts add a suffix: -field (the wrapper), -hint, -error, -lo/-hi (an interval's ends).
import {$$, el} from './dom.js';
import {boundsText, unsetMeaning} from './schema.js';

export const fieldId = (path) => 'f-' + path.replace(/\./g, '-');

/**
 * The widget for a field: a model picker for a string naming a model (key `model`, `*_model` or `*_model_id`, or
 * x-widget: model), a select for an enum, a checkbox for a boolean, a number input for numbers and integers, a
 * comma-separated text for an integer list, two number inputs for a two-number interval, a text input for other
 * strings, and JSON text for anything else.
 */
export function widgetKind(field) {
  const s = field.schema;
  if (typeof s['x-widget'] === 'string') return s['x-widget'];
  if (field.type === 'string' && !s.enum && /(^|_)model(_id)?$/.test(field.key)) return 'model';
  if (s.enum) return 'select';
  if (field.type === 'boolean') return 'checkbox';
  if (field.type === 'integer' || field.type === 'number') return 'number';
  if (field.type === 'array') {
    const items = s.items || {};
    if (items.type === 'integer') return 'ints';
    if (s.minItems === 2 && s.maxItems === 2 && items.type === 'number') return 'interval';
  }
  return field.type === 'string' ? 'text' : 'json';
}

const BUILDERS = {select, model, checkbox, number, ints, interval, text, json};

/** Builds the widget: {field, id, kind, node (the .field wrapper), inputs, read() → {value} | {error}, write(value)}. */
export function buildWidget(field) {
  const id = fieldId(field.path);
  const kind = BUILDERS[widgetKind(field)] ? widgetKind(field) : 'json';
  const w = {field, id, kind, inputs: []};
  const hint = el('span', {class: 'hint help', id: id + '-hint', title: field.help, text: hintText(field, kind)});
  const node = BUILDERS[kind](w, field, id);
  for (const input of w.inputs) {
    input.dataset.path = field.path;
    input.setAttribute('aria-describedby', id + '-hint');
    if (field.help) input.title = field.help;
  }
  node.id = id + '-field';
  node.dataset.field = field.path;
  node.dataset.kind = kind;
  node.append(hint);
  w.node = node;
  return w;
}

/** The help line, after the bounds (shown first: the line is cut to the field's width). */
function hintText(field, kind) {
  const bounds = kind === 'number' ? boundsText(field.schema) : '';
  return [bounds, field.help].filter(Boolean).join(' · ');
}

function labelFor(id, field) { return el('label', {for: id, text: field.label, title: field.help}); }
const wrapper = (wide, ...children) => el('div', {class: 'field' + (wide ? ' wide' : '')}, ...children);
const unsetText = (field) => 'unset' + (unsetMeaning(field) ? ': ' + unsetMeaning(field) : '');

function select(w, field, id) {
  const input = el('select', {id});
  if (field.nullable) input.append(el('option', {value: '', text: unsetText(field)}));
  // A nullable enum lists null too (JSON Schema 2020-12); the 'unset' option above stands for it.
  for (const v of field.schema.enum) if (v !== null) input.append(el('option', {value: v, text: v}));
  w.inputs = [input];
  w.read = () => ({value: input.value === '' ? null : input.value});
  w.write = (v) => { input.value = v == null ? '' : String(v); };
  return wrapper(false, labelFor(id, field), input);
}

/** A select of the stored models (models.js fills it through setModelOptions); unset first. */
function model(w, field, id) {
  const input = el('select', {id, 'data-widget': 'model'},
    el('option', {value: '', text: field.nullable ? unsetText(field) : '— pick a model —'}));
  w.inputs = [input];
  w.read = () => ({value: input.value === '' ? null : input.value});
  w.write = (v) => {
    if (v != null && !$$('option', input).some((o) => o.value === String(v))) input.append(el('option', {value: v, text: v}));
    input.value = v == null ? '' : String(v);
  };
  return wrapper(true, labelFor(id, field), input);
}

/** Refills every model picker with `options` ([{value, text}]), keeping each one's choice. */
export function setModelOptions(options) {
  for (const input of $$('#job-form select[data-widget="model"]')) {
    const current = input.value;
    const first = input.options[0];
    input.replaceChildren(first, ...options.map((o) => el('option', {value: o.value, text: o.text})));
    if (current && !options.some((o) => o.value === current)) input.append(el('option', {value: current, text: current}));
    input.value = current;
  }
}

function checkbox(w, field, id) {
  const input = el('input', {id, type: 'checkbox'});
  w.inputs = [input];
  w.read = () => ({value: input.checked});
  w.write = (v) => { input.checked = !!v; };
  return el('div', {class: 'field check'}, input, labelFor(id, field));
}

function numberInput(id, field, schema) {
  // OpenAPI 3.1 writes a nullable integer as the type list ['integer', 'null'].
  const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== 'null') : schema.type;
  const integer = (type || field.type) === 'integer';
  return el('input', {id, type: 'number', step: integer ? '1' : 'any', inputmode: integer ? 'numeric' : 'decimal',
    min: typeof schema.minimum === 'number' ? schema.minimum : null,
    max: typeof schema.maximum === 'number' ? schema.maximum : null});
}

/** A number from an input: {value}, or {error} for text the browser could not read as a number. */
function readNumber(input, nullable) {
  const raw = input.value.trim();
  if (raw === '') return input.validity && input.validity.badInput ? {error: 'not a number'} : nullable ? {value: null} : {error: 'required'};
  return {value: Number(raw)};
}

function number(w, field, id) {
  const input = numberInput(id, field, field.schema);
  if (field.nullable) input.placeholder = unsetText(field);
  w.inputs = [input];
  w.read = () => readNumber(input, field.nullable);
  w.write = (v) => { input.value = v == null ? '' : String(v); };
  return wrapper(false, labelFor(id, field), input);
}

function ints(w, field, id) {
  const input = el('input', {id, type: 'text', inputmode: 'numeric', autocomplete: 'off', placeholder: 'e.g. 100, 100 (empty: none)'});
  w.inputs = [input];
  w.read = () => {
    const parts = input.value.split(/[\s,]+/).filter(Boolean);
    if (!parts.length) return {value: field.nullable && field.default === null ? null : []};
    if (parts.some((p) => !/^[-+]?\d+$/.test(p))) return {error: 'use comma-separated integers, e.g. 100, 100'};
    return {value: parts.map(Number)};
  };
  w.write = (v) => { input.value = (v || []).join(', '); };
  return wrapper(true, labelFor(id, field), input);
}

function interval(w, field, id) {
  const items = field.schema.items || {};
  const lo = numberInput(id + '-lo', field, items), hi = numberInput(id + '-hi', field, items);
  w.inputs = [lo, hi];
  w.read = () => {
    const a = readNumber(lo, false), b = readNumber(hi, false);
    if (a.error || b.error) return {error: 'give both ends, e.g. -0.5 and 0.5'};
    return {value: [a.value, b.value]};
  };
  w.write = (v) => { lo.value = v ? v[0] : ''; hi.value = v ? v[1] : ''; };
  return el('div', {class: 'field wide'},
    el('span', {class: 'label', id: id + '-label', title: field.help, text: field.label}),
    el('div', {class: 'pair', role: 'group', 'aria-labelledby': id + '-label'},
      el('label', {class: 'sr', for: id + '-lo', text: field.label + ' low'}), lo,
      // An interval reads "a to b"; a pair whose items are bounded (adam_betas) "a and b".
      el('span', {'aria-hidden': 'true', text: items.minimum != null || items.maximum != null ? 'and' : 'to'}),
      el('label', {class: 'sr', for: id + '-hi', text: field.label + ' high'}), hi));
}

function text(w, field, id) {
  const input = el('input', {id, type: 'text', autocomplete: 'off',
    maxlength: field.schema.maxLength != null ? field.schema.maxLength : null,
    placeholder: field.nullable ? unsetText(field) : null});
  w.inputs = [input];
  w.read = () => {
    const v = input.value.trim();
    return {value: v === '' && field.nullable ? null : v};
  };
  w.write = (v) => { input.value = v == null ? '' : String(v); };
  return wrapper(field.key === 'name', labelFor(id, field), input);
}

/** A field of a shape the page has no widget for: its JSON value as text. */
function json(w, field, id) {
  const input = el('input', {id, type: 'text', autocomplete: 'off', placeholder: field.nullable ? unsetText(field) : 'JSON'});
  w.inputs = [input];
  w.read = () => {
    const v = input.value.trim();
    if (v === '') return field.nullable ? {value: null} : {error: 'required'};
    try { return {value: JSON.parse(v)}; } catch (_) { return {error: 'not valid JSON'}; }
  };
  w.write = (v) => { input.value = v == null ? '' : JSON.stringify(v); };
  return wrapper(true, labelFor(id, field), input);
}
