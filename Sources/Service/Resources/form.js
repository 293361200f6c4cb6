// The job form, built from the config schema in /openapi.json: one widget per field in the schema's order and
// sections, epochs vs iterations as one choice, checks from the schema's bounds before anything is sent, the
// server's 400 (or a 404 naming a field) next to the field it names, and the presets, which fill the form
// through the same widgets.
import {$, $$, el, toast} from './dom.js';
import {api, ApiError} from './api.js';
import {check, loadConfigFields} from './schema.js';
import {buildWidget, fieldId} from './widgets.js';
import {plot, savePlotted, warningBanner} from './plot.js';
import {poll} from './poll.js';
import {models} from './models.js';

/** The built form: the schema's fields, their widgets by path, and the epochs/iterations choice if both exist. */
export const form = {fields: [], widgets: new Map(), length: null, ready: false};

// Presets name fields by path; a field the schema lacks is ignored, one it has but a preset omits takes its default.
const PRESETS = {
  default1: {name: '1 epoch default', training: {epochs: 1}},
  // The init comparison: 784-100-100-100-100-10 ReLU, std=0.01 vs Xavier vs He, plain SGD, identical batches.
  'init-comparison': {compare: true, name: 'init comparison: std=0.01 vs Xavier vs He',
    model: {hidden: [100, 100, 100, 100], activation: 'relu', init_std: 0.01},
    training: {optimizer: 'sgd', learning_rate: 0.01, batch_size: 128, iterations: 2000, eval_every: 200}},
  adam: {name: 'adam, 3 epochs', training: {optimizer: 'adam', learning_rate: 0.001, epochs: 3}},
  lint: {name: 'lint demo: relu output + cross-entropy', model: {output: 'relu', loss: 'cross_entropy'},
    training: {iterations: 500, eval_every: 100}},
};

// Fields that matter only for some choices (dimmed and not sent otherwise); unlisted fields always matter.
const RELEVANT = {
  'model.leaky_slope': (v) => v('model.activation') === 'leaky_relu',
  'model.init': (v, compare) => !compare,
  'model.init_std': (v, compare) => compare || v('model.init') === 'normal',
  'model.init_range': (v, compare) => !compare && v('model.init') === 'uniform',
  'training.momentum': (v) => v('training.optimizer') === 'momentum',
};

const getPath = (o, path) => path.split('.').reduce((a, k) => (a == null ? undefined : a[k]), o);
function setPath(o, path, v) {
  const keys = path.split('.');
  let cur = o;
  for (const k of keys.slice(0, -1)) cur = cur[k] = cur[k] || {};
  cur[keys[keys.length - 1]] = v;
}

/** Loads the schema and builds the form; until then the submit and preset buttons stay disabled. */
export async function setupForm() {
  const box = $('#form-fields');
  const buttons = [$('#submit-job'), $('#reset-form'), ...$$('[data-preset]')];
  for (const b of buttons) b.disabled = true;
  try {
    form.fields = (await loadConfigFields()).fields;
  } catch (e) {
    box.replaceChildren(el('p', {class: 'banner error', role: 'alert', text: 'Cannot build the job form: ' + e.message}));
    return;
  }
  const sections = [...new Set(form.fields.map((f) => f.section))];
  box.replaceChildren(...sections.map((s) => fieldset(s, form.fields.filter((f) => f.section === s))));
  box.removeAttribute('aria-busy');
  writeForm({});
  const node = $('#job-form');
  node.addEventListener('submit', (ev) => { ev.preventDefault(); submitJob(); });
  node.addEventListener('change', (ev) => { updateDependentFields(); validateOne(ev.target); });
  node.addEventListener('input', (ev) => { const w = widgetOf(ev.target); if (w) clearError(w.node); });
  $('#reset-form').addEventListener('click', () => { clearFieldErrors(); writeForm({}); });
  for (const button of $$('[data-preset]')) {
    button.addEventListener('click', () => { clearFieldErrors(); writeForm(PRESETS[button.dataset.preset]); submitJob(); });
  }
  for (const b of buttons) b.disabled = false;
  form.ready = true;
  models.render();
}

function fieldset(section, fields) {
  const grid = el('div', {class: 'fields'});
  const byKey = new Map(fields.map((f) => [f.key, f]));
  for (const f of fields) form.widgets.set(f.path, buildWidget(f));
  const epochs = byKey.get('epochs'), iterations = byKey.get('iterations');
  const length = epochs && iterations && iterations.nullable ? lengthChoice(section, epochs, iterations) : null;
  for (const f of fields) {
    if (length && (f === epochs || f === iterations) && !length.placed) { grid.append(length.node); length.placed = true; }
    grid.append(form.widgets.get(f.path).node);
  }
  const title = section ? section[0].toUpperCase() + section.slice(1) : 'Job';
  return el('fieldset', {id: fieldId(section || 'job') + '-set'}, el('legend', {text: title}), grid);
}

/** Epochs and iterations as one choice: a unit select, then the one input that unit uses (iterations null = epochs). */
function lengthChoice(section, epochs, iterations) {
  const id = fieldId((section ? section + '.' : '') + 'length');
  const unit = el('select', {id: id + '-unit'},
    el('option', {value: 'epochs', text: epochs.label.toLowerCase()}),
    el('option', {value: 'iterations', text: iterations.label.toLowerCase()}));
  unit.addEventListener('change', updateDependentFields);
  const node = el('div', {class: 'field', id: id + '-field'}, el('label', {for: id + '-unit', text: 'Train for'}), unit,
    el('span', {class: 'hint help', text: 'Iterations, when given, replace epochs.'}));
  form.length = {unit, epochs: form.widgets.get(epochs.path), iterations: form.widgets.get(iterations.path), node};
  return form.length;
}

const widgetOf = (node) => node && node.dataset && node.dataset.path ? form.widgets.get(node.dataset.path) : null;

/** Whether a widget's value is sent: shown by the length choice, and relevant to the other choices. */
function isActive(w, compare = $('#f-compare').checked) {
  const L = form.length;
  if (L && w === L.epochs) return L.unit.value === 'epochs';
  if (L && w === L.iterations) return L.unit.value === 'iterations';
  const rule = RELEVANT[w.field.path];
  return !rule || rule((path) => { const o = form.widgets.get(path); return o ? o.read().value : undefined; }, compare);
}

/** Fills the form from a config: given fields take its values, the others the schema's defaults. */
export function writeForm(cfg = {}) {
  for (const w of form.widgets.values()) {
    const given = getPath(cfg, w.field.path);
    w.write(given === undefined ? w.field.default : given);
  }
  if (form.length) form.length.unit.value = getPath(cfg, form.length.iterations.field.path) != null ? 'iterations' : 'epochs';
  $('#f-compare').checked = !!cfg.compare;
  updateDependentFields();
}

/** Dims (and disables) the fields that do not matter for the current choices; hides the unused length input. */
function updateDependentFields() {
  const compare = $('#f-compare').checked;
  for (const w of form.widgets.values()) {
    const on = isActive(w, compare);
    const L = form.length;
    if (L && (w === L.epochs || w === L.iterations)) w.node.hidden = !on;
    else w.node.classList.toggle('off', !on);
    for (const input of w.inputs) input.disabled = !on;
  }
  $('#submit-job').textContent = compare ? 'Start comparison (3 jobs)' : 'Start job';
}

/** The problem with a widget's value, or null. */
function problemOf(w) {
  const r = w.read();
  if (r.error) return r.error;
  if (form.length && w === form.length.iterations && r.value === null) return 'how many iterations?';
  return check(w.field, r.value);
}

/** Reads the form into a job config: {body, errors}, errors being the schema's checks that failed. */
export function readForm() {
  const body = {}, errors = [];
  for (const w of form.widgets.values()) {
    if (!isActive(w)) continue;
    const problem = problemOf(w);
    if (problem) errors.push({path: w.field.path, message: problem});
    else setPath(body, w.field.path, w.read().value);
  }
  return {body, errors};
}

function validateOne(target) {
  const w = widgetOf(target);
  if (!w || !isActive(w)) return;
  clearError(w.node);
  const problem = problemOf(w);
  if (problem) showFieldError(w.field.path, problem);
}

/** The widget for a server field name: "model.hidden[2]", "config.training.epochs" and "model.hidden.2" name theirs. */
function widgetForField(field) {
  let f = String(field || '').replace(/^(config|body)\./, '').replace(/\[\d+\]/g, '').replace(/\.\d+(?=\.|$)/g, '');
  while (f) {
    if (form.widgets.has(f)) return form.widgets.get(f);
    f = f.includes('.') ? f.slice(0, f.lastIndexOf('.')) : '';
  }
  return null;
}

function clearError(container) {
  container.classList.remove('has-error');
  for (const n of $$('.field-error', container)) n.remove();
  for (const input of $$('input, select', container)) {
    input.removeAttribute('aria-invalid');
    const ids = (input.getAttribute('aria-describedby') || '').split(' ').filter((x) => x && !x.endsWith('-error'));
    if (ids.length) input.setAttribute('aria-describedby', ids.join(' ')); else input.removeAttribute('aria-describedby');
  }
}

function clearFieldErrors() {
  $('#form-error').hidden = true;
  for (const f of $$('#job-form .field.has-error')) clearError(f);
}

/** Shows a message next to the named field (the server's 400 also in the banner); returns the input to focus. */
function showFieldError(field, message, fromServer = false) {
  const w = widgetForField(field);
  const banner = $('#form-error');
  const container = w ? w.node : field === 'inits' ? $('#f-compare').closest('.field') : null;
  if (!container || container.hidden) {
    banner.textContent = (field ? field + ': ' : '') + message;
    banner.hidden = false;
    return null;
  }
  clearError(container);
  container.classList.add('has-error');
  const id = (w ? w.id : 'f-compare') + '-error';
  const note = el('span', {class: 'field-error', id, 'data-field': field || '', text: message});
  const hint = $('.hint', container);
  container.insertBefore(note, hint);
  const inputs = $$('input, select', container);
  for (const input of inputs) {
    input.setAttribute('aria-invalid', 'true');
    input.setAttribute('aria-describedby', ((input.getAttribute('aria-describedby') || '') + ' ' + id).trim());
  }
  if (fromServer) {
    banner.textContent = 'The server rejected the config: ' + (field || '') + ' — ' + message;
    banner.hidden = false;
  }
  return inputs[0] || null;
}

/** Collects job ids from whatever shape the init-comparison answer takes. */
function idsFrom(res) {
  const list = Array.isArray(res) ? res : (res && (res.job_ids || res.ids || res.jobs)) || [];
  return list.map((x) => (typeof x === 'string' ? x : x && x.id)).filter(Boolean);
}

async function submitJob() {
  if (!form.ready) return;
  clearFieldErrors();
  $('#submit-warnings').replaceChildren();
  const {body, errors} = readForm();
  if (errors.length) {
    const first = errors.map((e) => showFieldError(e.path, e.message)).find(Boolean);
    if (first) first.focus();
    return;
  }
  const compare = $('#f-compare').checked;
  const button = $('#submit-job');
  button.disabled = true;
  try {
    let ids, created = [];
    if (compare) {
      body.inits = ['normal', 'xavier', 'he'];
      if (body.model) delete body.model.init;
      const res = await api('POST', 'experiments/init-comparison', body);
      ids = idsFrom(res);
      created = (res && Array.isArray(res.jobs)) ? res.jobs.filter((j) => typeof j === 'object') : [];
    } else {
      const job = await api('POST', 'jobs', body);
      ids = [job.id];
      created = [job];
    }
    for (const job of created) {
      for (const w of job.warnings || []) $('#submit-warnings').append(warningBanner(job, w));
    }
    toast(ids.length > 1 ? `Started ${ids.length} jobs` : 'Started job ' + (body.name || ids[0]), 'ok');
    plot.explicit = new Set(ids);
    savePlotted();
    await poll.now();
  } catch (e) {
    if (!(e instanceof ApiError)) throw e;
    const banner = $('#form-error');
    // A refusal that names a field goes next to it: a 400, or the 404 of a dataset or model that does not exist.
    if (e.status === 400 || e.status === 422 || (e.status === 404 && e.field)) {
      const focus = showFieldError(e.field, e.message, true);
      if (focus) focus.focus();
    } else if (e.status === 429) {
      banner.textContent = 'Queue full' + (e.retryAfter ? ': retry in ' + e.retryAfter + ' s.' : '. Try again shortly.');
      banner.hidden = false;
    } else if (e.status !== 401) {
      banner.textContent = `Could not start the job (${e.status || 'network'} ${e.code}): ${e.message}`;
      banner.hidden = false;
    }
  } finally {
    button.disabled = false;
  }
}
