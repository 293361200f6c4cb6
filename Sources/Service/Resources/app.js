// mnistd dashboard: job form, job list, live curves, per-layer histograms, digit drawing and test-image browser.
// Talks only to the service's HTTP API (/openapi.json; relative URLs, so the page also works behind a path prefix). No libraries.
'use strict';

// MARK: - Small helpers

const $ = (sel, root = document) => root.querySelector(sel);
const $$ = (sel, root = document) => Array.from(root.querySelectorAll(sel));
const PALETTE = ['#2f6db5', '#e0752d', '#3a9a5b', '#c2413b', '#7b5ea7', '#8c6d3f', '#d4609f', '#5f6b77', '#a6a523', '#2aa3b5'];
const TERMINAL = new Set(['succeeded', 'failed', 'cancelled']);

/** Creates an element: el('div', {class: 'x', text: 'hi'}, child, ...). */
function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v == null || v === false) continue;
    if (k === 'text') node.textContent = v;
    else if (k === 'class') node.className = v;
    else if (k.startsWith('on')) node.addEventListener(k.slice(2), v);
    else node.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children) if (c != null) node.append(c);
  return node;
}

const pct = (x, digits = 1) => (x == null || !isFinite(x)) ? '–' : (100 * x).toFixed(digits) + '%';
const num = (x, digits = 3) => (x == null || !isFinite(x)) ? '–'
  : Math.abs(x) !== 0 && (Math.abs(x) < 1e-3 || Math.abs(x) >= 1e5) ? x.toExponential(1) : (+x.toFixed(digits)).toString();
function duration(s) {
  if (s == null || !isFinite(s)) return '–';
  s = Math.max(0, Math.round(s));
  if (s < 60) return s + 's';
  if (s < 3600) return Math.floor(s / 60) + 'm ' + (s % 60) + 's';
  return Math.floor(s / 3600) + 'h ' + Math.floor((s % 3600) / 60) + 'm';
}
function compact(n) {
  if (n == null || !isFinite(n)) return '–';
  if (Math.abs(n) >= 1e6) return (n / 1e6).toFixed(1).replace(/\.0$/, '') + 'M';
  if (Math.abs(n) >= 1e3) return (n / 1e3).toFixed(1).replace(/\.0$/, '') + 'k';
  return String(Math.round(n * 100) / 100);
}
function toast(message, kind = 'info') {
  const t = $('#toast');
  t.textContent = message;
  t.className = 'toast show ' + kind;
  clearTimeout(toast.timer);
  toast.timer = setTimeout(() => { t.className = 'toast'; }, 4000);
}
/** Runs `fn` over `items` with at most `limit` calls in flight. */
async function pool(items, limit, fn) {
  let next = 0;
  const workers = Array.from({length: Math.min(limit, items.length)}, async () => {
    while (next < items.length) { const i = next++; await fn(items[i], i); }
  });
  await Promise.all(workers);
}

// MARK: - API

class ApiError extends Error {
  constructor(status, code, message, field, retryAfter) {
    super(message);
    Object.assign(this, {status, code, field, retryAfter});
  }
}

const TOKEN_KEY = 'mnistd.token';

/** Calls the API; returns parsed JSON or throws ApiError with the server's {error: {code, message, field}}. */
async function api(method, path, body) {
  const headers = {Accept: 'application/json'};
  const init = {method, headers};
  if (body !== undefined) { headers['Content-Type'] = 'application/json'; init.body = JSON.stringify(body); }
  const token = localStorage.getItem(TOKEN_KEY);
  if (token && method !== 'GET') headers.Authorization = 'Bearer ' + token;
  let res;
  try { res = await fetch(path, init); } catch (e) {
    throw new ApiError(0, 'network', 'Cannot reach the server (' + e.message + ')');
  }
  const text = await res.text();
  let data = null;
  if (text) { try { data = JSON.parse(text); } catch (_) { data = null; } }
  if (res.status === 401) showAuthProblem(data);
  else if (res.ok && method !== 'GET') $('#auth-banner').hidden = true;
  if (!res.ok) {
    const e = (data && data.error) || {};
    throw new ApiError(res.status, e.code || 'http_' + res.status, e.message || res.statusText || 'HTTP ' + res.status,
      e.field, res.headers.get('Retry-After'));
  }
  return data;
}

function showAuthProblem(data) {
  const banner = $('#auth-banner');
  const has = !!localStorage.getItem(TOKEN_KEY);
  const detail = data && data.error && data.error.message ? ' (' + data.error.message + ')' : '';
  banner.textContent = '401 Unauthorized' + detail + ': ' + (has
    ? 'the API token in the header was rejected. Check it and try again.'
    : 'this server requires an API token for changes. Enter it in “API token” at the top and try again.');
  banner.hidden = false;
  const input = $('#token');
  input.classList.add('invalid');
  input.setAttribute('aria-invalid', 'true');
  input.focus();
}

/** Lists from tolerant shapes: a bare array or {jobs|models|items: [...]}. */
const listOf = (data, key) => Array.isArray(data) ? data : (data && (data[key] || data.items)) || [];
const modelId = (m) => m.id || m.model_id;

// MARK: - Token and health

function setupToken() {
  const input = $('#token');
  input.form.addEventListener('submit', (ev) => ev.preventDefault());
  input.value = localStorage.getItem(TOKEN_KEY) || '';
  input.addEventListener('input', () => {
    const v = input.value.trim();
    if (v) localStorage.setItem(TOKEN_KEY, v); else localStorage.removeItem(TOKEN_KEY);
    input.classList.remove('invalid');
    input.removeAttribute('aria-invalid');
  });
}

async function refreshHealth() {
  const pill = $('#health');
  try {
    const res = await fetch('healthz', {headers: {Accept: 'application/json'}});
    const data = await res.json().catch(() => ({}));
    if (res.ok) { pill.textContent = 'healthy'; pill.className = 'pill ok'; }
    else {
      const reason = data.reason || (data.error && data.error.message) || data.status || res.status;
      pill.textContent = 'unavailable: ' + reason; pill.className = 'pill bad';
    }
  } catch (_) { pill.textContent = 'server unreachable'; pill.className = 'pill bad'; }
}

// MARK: - Job form

const DEFAULTS = {
  name: '', dataset: 'mnist',
  model: {hidden: [100, 100, 100, 100], activation: 'relu', leaky_slope: 0.01, init: 'he', init_std: 0.01,
    init_range: [-0.5, 0.5], output: 'softmax', loss: null, from_model: null},
  training: {epochs: 10, batch_size: 128, optimizer: 'momentum', learning_rate: 0.05, momentum: 0.9,
    weight_decay: 0, shuffle: true, seed: 0, normalize: 'unit', eval_every: 0},
};

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

const getPath = (o, path) => path.split('.').reduce((a, k) => (a == null ? undefined : a[k]), o);
function setPath(o, path, v) {
  const keys = path.split('.');
  let cur = o;
  for (const k of keys.slice(0, -1)) cur = cur[k] = cur[k] || {};
  cur[keys[keys.length - 1]] = v;
}

/** Fills the form from a config (missing fields take the API defaults). */
function writeForm(cfg) {
  const merged = {
    ...DEFAULTS, ...cfg,
    model: {...DEFAULTS.model, ...(cfg.model || {})},
    training: {...DEFAULTS.training, ...(cfg.training || {})},
  };
  for (const node of $$('#job-form [data-path]')) {
    const v = getPath(merged, node.dataset.path);
    switch (node.dataset.type) {
      case 'bool': node.checked = !!v; break;
      case 'ints': node.value = (v || []).join(', '); break;
      case 'range': $('#f-range-lo').value = v[0]; $('#f-range-hi').value = v[1]; break;
      default: node.value = v == null ? '' : v;
    }
  }
  const iters = cfg.training && cfg.training.iterations;
  $('#f-length-unit').value = iters ? 'iterations' : 'epochs';
  $('#f-length').value = iters || merged.training.epochs;
  $('#f-compare').checked = !!cfg.compare;
  updateDependentFields();
}

/** Enables only the fields that matter for the current choices (a disabled field is not sent). */
function updateDependentFields() {
  const compare = $('#f-compare').checked;
  const init = $('#f-init').value;
  const toggle = (id, on) => {
    const node = $(id);
    const field = node.closest('.field');
    field.classList.toggle('off', !on);
    for (const input of $$('input, select', field)) input.disabled = !on;
  };
  toggle('#f-leaky', $('#f-activation').value === 'leaky_relu');
  toggle('#f-init', !compare);
  toggle('#f-init-std', compare || init === 'normal');
  toggle('#f-init-range', !compare && init === 'uniform');
  toggle('#f-momentum', $('#f-optimizer').value === 'momentum');
  $('#submit-job').textContent = compare ? 'Start comparison (3 jobs)' : 'Start job';
}

/** Reads the form into a job config; returns {body, errors} where errors are client-side parse problems. */
function readForm() {
  const body = {};
  const errors = [];
  for (const node of $$('#job-form [data-path]')) {
    const path = node.dataset.path;
    if (node.disabled || node.closest('.field').classList.contains('off')) continue;
    const raw = node.value == null ? '' : String(node.value).trim();
    switch (node.dataset.type) {
      case 'string': if (raw) setPath(body, path, raw); break;
      case 'nullable':
        if (path === 'model.loss') setPath(body, path, raw || null);
        else if (raw) setPath(body, path, raw);
        break;
      case 'bool': setPath(body, path, node.checked); break;
      case 'int': case 'float':
        if (raw === '') { if (node.validity && node.validity.badInput) errors.push({path, message: 'not a number'}); break; }
        setPath(body, path, Number(raw));
        break;
      case 'ints': {
        const parts = raw.split(/[\s,]+/).filter(Boolean);
        const values = parts.map(Number);
        if (values.some((v) => !Number.isFinite(v))) errors.push({path, message: 'use comma-separated integers, e.g. 100, 100'});
        else setPath(body, path, values);
        break;
      }
      case 'range': {
        const lo = $('#f-range-lo').value, hi = $('#f-range-hi').value;
        if (lo === '' || hi === '') errors.push({path, message: 'give both ends of the range'});
        else setPath(body, path, [Number(lo), Number(hi)]);
        break;
      }
    }
  }
  const unit = $('#f-length-unit').value;
  const length = $('#f-length').value.trim();
  if (length === '') errors.push({path: 'training.' + unit, message: 'how many ' + unit + '?'});
  else setPath(body, 'training.' + unit, Number(length));
  return {body, errors};
}

// Server field names → the form element that shows the message.
const FIELD_ALIASES = {'training.epochs': '#f-length-field', 'training.iterations': '#f-length-field',
  inits: '#f-compare', 'model.init_range': '#f-init-range'};

function fieldNode(field) {
  if (!field) return null;
  const f = field.replace(/^(config|body)\./, '').replace(/\[\d+\]/g, '').replace(/\.\d+(?=\.|$)/g, '');
  if (FIELD_ALIASES[f]) return $(FIELD_ALIASES[f]);
  return $(`#job-form [data-path="${CSS.escape(f)}"]`);
}

function clearFieldErrors() {
  $('#form-error').hidden = true;
  for (const f of $$('#job-form .field.has-error')) {
    f.classList.remove('has-error');
    for (const n of $$('.field-error', f)) n.remove();
    for (const input of $$('input, select', f)) {
      input.removeAttribute('aria-invalid');
      const ids = (input.getAttribute('aria-describedby') || '').split(' ').filter((x) => x && !x.startsWith('err-'));
      if (ids.length) input.setAttribute('aria-describedby', ids.join(' ')); else input.removeAttribute('aria-describedby');
    }
  }
}

/** Shows a validation message next to the named field; unknown fields go to the form banner. */
function showFieldError(field, message) {
  const node = fieldNode(field);
  const banner = $('#form-error');
  if (!node) {
    banner.textContent = (field ? field + ': ' : '') + message;
    banner.hidden = false;
    return null;
  }
  const container = node.classList.contains('field') ? node : node.closest('.field');
  container.classList.add('has-error');
  const id = 'err-' + (container.id || node.id || Math.random().toString(36).slice(2));
  container.append(el('span', {class: 'field-error', id, text: message}));
  const inputs = $$('input, select', container);
  for (const input of inputs) {
    input.setAttribute('aria-invalid', 'true');
    input.setAttribute('aria-describedby', ((input.getAttribute('aria-describedby') || '') + ' ' + id).trim());
  }
  banner.textContent = 'The server rejected the config: ' + (field || '') + ' — ' + message;
  banner.hidden = false;
  return inputs[0] || null;
}

/** Collects job ids from whatever shape the init-comparison answer takes. */
function idsFrom(res) {
  const list = Array.isArray(res) ? res : (res && (res.job_ids || res.ids || res.jobs)) || [];
  return list.map((x) => (typeof x === 'string' ? x : x && x.id)).filter(Boolean);
}

async function submitJob() {
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
    if (e.status === 400 || e.status === 422) {
      const focus = showFieldError(e.field, e.message);
      if (focus) focus.focus();
    } else if (e.status === 429) {
      const banner = $('#form-error');
      banner.textContent = 'Queue full' + (e.retryAfter ? ': retry in ' + e.retryAfter + ' s.' : '. Try again shortly.');
      banner.hidden = false;
    } else if (e.status !== 401) {
      const banner = $('#form-error');
      banner.textContent = `Could not start the job (${e.status || 'network'} ${e.code}): ${e.message}`;
      banner.hidden = false;
    }
  } finally {
    button.disabled = false;
  }
}

function setupForm() {
  const form = $('#job-form');
  writeForm({});
  form.addEventListener('submit', (ev) => { ev.preventDefault(); submitJob(); });
  form.addEventListener('change', updateDependentFields);
  form.addEventListener('input', (ev) => {
    const field = ev.target.closest('.field.has-error');
    if (field) {
      field.classList.remove('has-error');
      for (const n of $$('.field-error', field)) n.remove();
      for (const input of $$('input, select', field)) input.removeAttribute('aria-invalid');
    }
  });
  $('#reset-form').addEventListener('click', () => { clearFieldErrors(); writeForm({}); });
  for (const button of $$('[data-preset]')) {
    button.addEventListener('click', () => {
      clearFieldErrors();
      writeForm(PRESETS[button.dataset.preset]);
      submitJob();
    });
  }
}

// MARK: - Jobs list and polling

const jobs = {list: [], limit: 25, hasMore: false, byId: new Map(), rows: new Map(), deleteArmed: new Set()};
const plot = {explicit: new Set(), colors: new Map(), histories: new Map(), details: new Map(), sigs: new Map()};

function savePlotted() { localStorage.setItem('mnistd.plotted', JSON.stringify([...plot.explicit])); }

/** The jobs on the chart: the ticked ones, or the newest job when none is ticked. */
function plottedIds() {
  if (plot.explicit.size) return [...plot.explicit];
  return jobs.list.length ? [jobs.list[0].id] : [];
}

function colorOf(id) {
  if (!plot.colors.has(id)) {
    const used = new Set(plot.colors.values());
    plot.colors.set(id, PALETTE.find((c) => !used.has(c)) || PALETTE[plot.colors.size % PALETTE.length]);
  }
  return plot.colors.get(id);
}

const jobLabel = (job) => (job && (job.name || job.id)) || '?';
function architecture(job) {
  const m = (job.config && job.config.model) || {};
  const hidden = m.hidden || [];
  return ['784', ...hidden, '10'].join('-');
}
function summary(job) {
  const m = (job.config && job.config.model) || {}, t = (job.config && job.config.training) || {};
  const parts = [architecture(job), m.activation, m.init === 'normal' ? 'normal σ=' + m.init_std : m.init,
    t.optimizer && t.optimizer + ' lr ' + t.learning_rate, t.batch_size && 'batch ' + t.batch_size];
  return parts.filter(Boolean).join(' · ');
}

async function refreshJobs() {
  const state = $('#state-filter').value;
  const data = await api('GET', `jobs?limit=${jobs.limit}` + (state ? '&state=' + encodeURIComponent(state) : ''));
  jobs.list = listOf(data, 'jobs');
  jobs.hasMore = !!(data && (data.next_cursor || data.cursor)) || jobs.list.length >= jobs.limit;
  for (const j of jobs.list) jobs.byId.set(j.id, j);
  renderJobs();
}

function jobRow(id) {
  let row = jobs.rows.get(id);
  if (row) return row;
  const check = el('input', {type: 'checkbox', id: 'plot-' + id});
  check.addEventListener('change', () => {
    if (check.checked) {
      if (!plot.explicit.size) for (const pid of plottedIds()) plot.explicit.add(pid);
      plot.explicit.add(id);
    } else {
      if (!plot.explicit.size) for (const pid of plottedIds()) plot.explicit.add(pid);
      plot.explicit.delete(id);
    }
    savePlotted();
    poll.now();
  });
  const cancel = el('button', {type: 'button', class: 'btn small', text: 'Cancel'});
  cancel.addEventListener('click', () => act(id, 'cancel'));
  const del = el('button', {type: 'button', class: 'btn small danger', text: 'Delete'});
  del.addEventListener('click', () => act(id, 'delete', del));
  const bar = el('div', {class: 'bar'});
  row = el('li', {class: 'job', 'data-id': id},
    el('div', {class: 'job-check'}, check),
    el('div', {class: 'job-main'},
      el('div', {class: 'job-title'},
        el('span', {class: 'swatch', 'aria-hidden': 'true'}),
        el('label', {for: 'plot-' + id, class: 'job-name'}),
        el('span', {class: 'state'}),
        el('span', {class: 'warn-badge', hidden: true})),
      el('div', {class: 'job-sub'}),
      el('div', {class: 'progress', role: 'progressbar', 'aria-valuemin': '0', 'aria-valuemax': '100'}, bar),
      el('div', {class: 'job-meta'}),
      el('div', {class: 'job-error', hidden: true})),
    el('div', {class: 'job-metrics'}),
    el('div', {class: 'job-actions'}, cancel, del));
  row.parts = {check, cancel, del, bar};
  jobs.rows.set(id, row);
  return row;
}

function updateRow(row, job) {
  const p = job.progress || {}, m = job.metrics || {};
  const plotted = plottedIds().includes(job.id);
  row.parts.check.checked = plotted;
  const swatch = $('.swatch', row);
  swatch.hidden = !plotted;
  if (plotted) swatch.style.background = colorOf(job.id);
  $('.job-name', row).textContent = jobLabel(job);
  const state = $('.state', row);
  state.textContent = job.state;
  state.className = 'state s-' + job.state;
  const warns = (job.warnings || []).length;
  const badge = $('.warn-badge', row);
  badge.hidden = !warns;
  badge.textContent = '⚠ ' + warns + (warns === 1 ? ' warning' : ' warnings');
  $('.job-sub', row).textContent = (job.name ? job.id + ' · ' : '') + summary(job);
  const fraction = job.state === 'succeeded' ? 1 : Math.max(0, Math.min(1, p.fraction || 0));
  row.parts.bar.style.width = (100 * fraction).toFixed(1) + '%';
  row.parts.bar.className = 'bar b-' + job.state;
  const progress = $('.progress', row);
  progress.setAttribute('aria-valuenow', (100 * fraction).toFixed(0));
  progress.setAttribute('aria-label', 'Progress of ' + jobLabel(job));
  const meta = [];
  if (p.iterations) meta.push(`iter ${compact(p.iteration || 0)}/${compact(p.iterations)}`);
  if (p.epochs) meta.push(`epoch ${p.epoch || 0}/${p.epochs}`);
  if (job.state === 'running') {
    if (p.samples_per_second) meta.push(compact(p.samples_per_second) + ' samples/s');
    meta.push('ETA ' + duration(p.eta_seconds));
  } else if (job.started_at && job.finished_at) {
    meta.push('took ' + duration((Date.parse(job.finished_at) - Date.parse(job.started_at)) / 1000));
  } else if (job.state === 'queued') meta.push('waiting for a worker');
  $('.job-meta', row).textContent = meta.join(' · ');
  const err = $('.job-error', row);
  err.hidden = !job.error;
  if (job.error) err.textContent = errorText(job.error);
  const acc = m.test_accuracy != null ? m.test_accuracy : m.train_accuracy;
  const loss = m.test_loss != null ? m.test_loss : m.train_loss;
  $('.job-metrics', row).replaceChildren(
    el('span', {class: 'metric-big', text: pct(acc)}),
    el('span', {class: 'hint', text: (m.test_accuracy != null ? 'test acc' : 'train acc') + ' · loss ' + num(loss)}));
  row.parts.cancel.hidden = TERMINAL.has(job.state);
  row.parts.cancel.setAttribute('aria-label', 'Cancel ' + jobLabel(job));
  row.parts.del.hidden = !TERMINAL.has(job.state);
  if (!jobs.deleteArmed.has(job.id)) row.parts.del.setAttribute('aria-label', 'Delete ' + jobLabel(job));
}

function renderJobs() {
  const ul = $('#job-list');
  const seen = new Set();
  jobs.list.forEach((job, i) => {
    const row = jobRow(job.id);
    updateRow(row, job);
    seen.add(job.id);
    // Move rows only when out of place: moving the focused row would drop keyboard focus.
    if (ul.children[i] !== row) ul.insertBefore(row, ul.children[i] || null);
  });
  for (const [id, row] of jobs.rows) if (!seen.has(id)) { row.remove(); jobs.rows.delete(id); }
  if (!jobs.list.length) {
    if (!$('.empty', ul)) ul.append(el('li', {class: 'empty', text: 'No jobs yet: pick a preset or start one from the form.'}));
  } else for (const e of $$('.empty', ul)) e.remove();
  $('#more-jobs').hidden = !jobs.hasMore;
}

async function act(id, action, button) {
  try {
    if (action === 'cancel') {
      await api('POST', `jobs/${encodeURIComponent(id)}/cancel`);
      toast('Cancelling ' + jobLabel(jobs.byId.get(id)));
    } else {
      // Two-step delete instead of a blocking confirm(): the first press arms the button for 4 s.
      if (!jobs.deleteArmed.has(id)) {
        jobs.deleteArmed.add(id);
        button.textContent = 'Confirm delete';
        button.setAttribute('aria-label', 'Confirm delete of ' + jobLabel(jobs.byId.get(id)));
        setTimeout(() => { jobs.deleteArmed.delete(id); button.textContent = 'Delete'; }, 4000);
        return;
      }
      jobs.deleteArmed.delete(id);
      await api('DELETE', `jobs/${encodeURIComponent(id)}`);
      plot.explicit.delete(id);
      plot.histories.delete(id);
      plot.details.delete(id);
      savePlotted();
      toast('Deleted ' + jobLabel(jobs.byId.get(id)));
    }
    await poll.now();
  } catch (e) {
    if (e instanceof ApiError && e.status !== 401) toast(`${action} failed: ${e.message}`, 'bad');
  }
}

// MARK: - Plotted jobs: details and incremental history

async function refreshPlotted() {
  const ids = plottedIds();
  await pool(ids, 4, async (id) => {
    let job = plot.details.get(id);
    if (!job || !TERMINAL.has(job.state) || !plot.histories.get(id) || !plot.histories.get(id).complete) {
      try { job = await api('GET', `jobs/${encodeURIComponent(id)}`); } catch (e) {
        if (e.status === 404) { plot.explicit.delete(id); savePlotted(); return; }
        throw e;
      }
      plot.details.set(id, job);
      jobs.byId.set(id, job);
    }
    const h = plot.histories.get(id) || {points: [], last: -1, complete: false};
    plot.histories.set(id, h);
    if (h.complete) return;
    const terminal = TERMINAL.has(job.state); // read before the history, so "complete" really is
    const data = await api('GET', `jobs/${encodeURIComponent(id)}/history?since=${Math.max(0, h.last)}`);
    for (const p of (data && data.points) || []) {
      const it = p.iteration != null ? p.iteration : h.points.length;
      // Points arrive in order; `since` may be inclusive, and an eval may come as its own point with the
      // iteration of a train point: merge equal iterations, drop older ones.
      if (it < h.last) continue;
      if (it === h.last && h.points.length) Object.assign(h.points[h.points.length - 1], p);
      else h.points.push(p);
      h.last = it;
    }
    if (terminal) h.complete = true;
  });
  renderPlotted(ids);
}

function renderPlotted(ids) {
  const shown = ids.map((id) => plot.details.get(id) || jobs.byId.get(id)).filter(Boolean);
  // Disambiguate equal names (the three jobs of an init comparison) by their init.
  const names = new Map();
  for (const j of shown) names.set(jobLabel(j), (names.get(jobLabel(j)) || 0) + 1);
  const label = (j) => {
    const base = jobLabel(j);
    const m = (j.config && j.config.model) || {};
    if (names.get(base) < 2) return base;
    return base + ' — ' + (m.init === 'normal' ? 'std=' + m.init_std : m.init || j.id);
  };
  const legend = $('#legend');
  legend.replaceChildren(...shown.map((j) => el('li', {'data-id': j.id},
    el('span', {class: 'swatch', style: 'background:' + colorOf(j.id), 'aria-hidden': 'true'}),
    el('span', {text: label(j)}), el('span', {class: 'state s-' + j.state, text: j.state}))));
  renderAlerts(shown, label);
  charts.series = shown.map((j) => ({id: j.id, label: label(j), color: colorOf(j.id),
    points: (plot.histories.get(j.id) || {points: []}).points,
    xMax: (j.progress && j.progress.iterations) || 0}));
  drawCharts();
  renderDiagnostics(shown, label);
  for (const [id, row] of jobs.rows) if (jobs.byId.get(id)) updateRow(row, jobs.byId.get(id));
}

function errorText(error) {
  if (typeof error === 'string') return error;
  const at = error.iteration != null ? ' at iteration ' + error.iteration : '';
  return (error.code || 'error') + at + ': ' + (error.message || '');
}

function warningBanner(job, w) {
  return el('div', {class: 'banner warn', role: 'note'},
    el('strong', {text: '⚠ ' + (w.code || 'warning')}), ' ', el('span', {text: w.message || ''}),
    el('span', {class: 'hint', text: ' — ' + jobLabel(job)}));
}

function renderAlerts(shown, label) {
  const box = $('#job-alerts');
  const sig = JSON.stringify(shown.map((j) => [j.id, j.warnings, j.error]));
  if (box.dataset.sig === sig) return;
  box.dataset.sig = sig;
  const nodes = [];
  for (const j of shown) {
    for (const w of j.warnings || []) {
      const b = warningBanner(j, w);
      b.lastChild.textContent = ' — ' + label(j);
      nodes.push(b);
    }
    if (j.error) nodes.push(el('div', {class: 'banner error', role: 'alert'},
      el('strong', {text: label(j) + ' failed: '}), el('span', {text: errorText(j.error)})));
  }
  box.replaceChildren(...nodes);
}

const poll = {
  timer: null, busy: false,
  async run() {
    if (this.busy) return;
    this.busy = true;
    clearTimeout(this.timer);
    let running = false;
    try {
      await refreshJobs();
      await refreshPlotted();
      running = jobs.list.some((j) => !TERMINAL.has(j.state)) ||
        plottedIds().some((id) => { const j = plot.details.get(id); return j && !TERMINAL.has(j.state); });
      await models.refreshIfChanged();
    } catch (e) {
      if (!(e instanceof ApiError)) console.warn(e); // eslint-disable-line no-console
    } finally {
      this.busy = false;
      this.timer = setTimeout(() => this.run(), document.hidden ? 5000 : running ? 600 : 2500);
    }
  },
  async now() { while (this.busy) await new Promise((r) => setTimeout(r, 50)); return this.run(); },
};

// MARK: - Charts (canvas, own code: axes, ticks, legend outside, log scale)

/** Ticks at 1, 2, 5 × 10^k covering [lo, hi] with about `count` steps. */
function niceTicks(lo, hi, count = 5) {
  if (!(hi > lo)) hi = lo + 1;
  const raw = (hi - lo) / count;
  const mag = Math.pow(10, Math.floor(Math.log10(raw)));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => s >= raw) || 10 * mag;
  const ticks = [];
  for (let v = Math.ceil(lo / step - 1e-9) * step; v <= hi + step * 1e-9; v += step) ticks.push(+v.toPrecision(12));
  return ticks;
}

/** Log ticks: each decade, plus 2 and 5 when the range spans few decades. */
function logTicks(lo, hi) {
  const ticks = [];
  const a = Math.floor(Math.log10(lo)), b = Math.ceil(Math.log10(hi));
  for (let d = a; d <= b; d++) for (const m of (b - a <= 2 ? [1, 2, 5] : [1])) {
    const v = m * Math.pow(10, d);
    if (v >= lo * 0.999 && v <= hi * 1.001) ticks.push(v);
  }
  return ticks;
}

/** Debiased exponential moving average (as TensorBoard's smoothing). */
function smooth(values, weight) {
  const out = new Array(values.length);
  let last = 0, n = 0;
  for (let i = 0; i < values.length; i++) {
    last = last * weight + (1 - weight) * values[i];
    n++;
    out[i] = last / (1 - Math.pow(weight, n));
  }
  return out;
}

class Chart {
  constructor(canvas) { this.canvas = canvas; }

  /** Draws `layers` ({color, xs, ys, style: line|dashed|dots, alpha, width}) with optional log y. */
  draw(layers, {xMax = 0, yMin, yMax, log = false, yFormat = num, empty = 'No data yet'}) {
    const canvas = this.canvas;
    const dpr = window.devicePixelRatio || 1;
    const w = canvas.clientWidth, h = canvas.clientHeight;
    if (!w || !h) return 0;
    canvas.width = Math.round(w * dpr);
    canvas.height = Math.round(h * dpr);
    const ctx = canvas.getContext('2d');
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, w, h);
    ctx.font = '11px system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';
    const m = {l: 50, r: 12, t: 10, b: 26};
    const pw = w - m.l - m.r, ph = h - m.t - m.b;

    // Ranges
    let xmax = xMax, lo = Infinity, hi = -Infinity, count = 0;
    for (const L of layers) for (let i = 0; i < L.xs.length; i++) {
      const y = L.ys[i];
      if (y == null || !isFinite(y) || (log && y <= 0)) continue;
      xmax = Math.max(xmax, L.xs[i]);
      lo = Math.min(lo, y); hi = Math.max(hi, y);
      count++;
    }
    if (!(xmax > 0)) xmax = 1000; // empty chart: a plausible frame rather than 0..1
    if (yMin != null) lo = yMin; if (yMax != null) hi = yMax;
    if (!count && (yMin == null || yMax == null)) { lo = log ? 0.1 : 0; hi = log ? 10 : 1; }
    if (log) { lo = Math.pow(10, Math.floor(Math.log10(lo) * 4) / 4); hi = Math.pow(10, Math.ceil(Math.log10(hi) * 4) / 4); }
    else if (yMin == null) { lo = Math.min(0, lo); }
    if (!(hi > lo)) hi = lo + (log ? lo * 10 : 1);
    const yt = log ? logTicks(lo, hi) : niceTicks(lo, hi, 5);
    if (!log) { lo = Math.min(lo, yt[0]); hi = Math.max(hi, yt[yt.length - 1]); }
    const X = (x) => m.l + (x / xmax) * pw;
    const Y = log ? (y) => m.t + ph - ((Math.log10(y) - Math.log10(lo)) / (Math.log10(hi) - Math.log10(lo))) * ph
      : (y) => m.t + ph - ((y - lo) / (hi - lo)) * ph;

    // Grid, ticks, axes
    ctx.strokeStyle = '#e6e8eb'; ctx.fillStyle = '#5b6470'; ctx.lineWidth = 1;
    ctx.textAlign = 'right'; ctx.textBaseline = 'middle';
    for (const v of yt) {
      const y = Math.round(Y(v)) + 0.5;
      ctx.beginPath(); ctx.moveTo(m.l, y); ctx.lineTo(m.l + pw, y); ctx.stroke();
      ctx.fillText(yFormat(v), m.l - 6, y);
    }
    ctx.textAlign = 'center'; ctx.textBaseline = 'top';
    const xt = niceTicks(0, xmax, Math.max(2, Math.floor(pw / 70))).filter(Number.isInteger);
    for (const v of xt) {
      if (v > xmax) continue;
      const x = Math.round(X(v)) + 0.5;
      ctx.beginPath(); ctx.moveTo(x, m.t + ph); ctx.lineTo(x, m.t + ph + 4); ctx.strokeStyle = '#9aa3ad'; ctx.stroke();
      ctx.fillText(compact(v), x, m.t + ph + 7);
    }
    ctx.strokeStyle = '#9aa3ad';
    ctx.beginPath(); ctx.moveTo(m.l + 0.5, m.t); ctx.lineTo(m.l + 0.5, m.t + ph + 0.5); ctx.lineTo(m.l + pw, m.t + ph + 0.5); ctx.stroke();
    ctx.textAlign = 'right'; ctx.textBaseline = 'bottom';
    ctx.fillText('iteration', m.l + pw, m.t + ph - 3);

    if (!count) {
      ctx.textAlign = 'center'; ctx.textBaseline = 'middle'; ctx.fillStyle = '#8a939d';
      ctx.fillText(empty, m.l + pw / 2, m.t + ph / 2);
      return 0;
    }

    // Series, clipped to the plot area
    ctx.save();
    ctx.beginPath(); ctx.rect(m.l, m.t - 2, pw + 2, ph + 4); ctx.clip();
    for (const L of layers) {
      ctx.globalAlpha = L.alpha == null ? 1 : L.alpha;
      ctx.strokeStyle = ctx.fillStyle = L.color;
      ctx.lineWidth = L.width || 1.6;
      ctx.setLineDash(L.style === 'dashed' ? [5, 4] : []);
      if (L.style === 'dots') {
        for (let i = 0; i < L.xs.length; i++) {
          const y = L.ys[i];
          if (y == null || !isFinite(y) || (log && y <= 0)) continue;
          ctx.beginPath(); ctx.arc(X(L.xs[i]), Y(y), 2.8, 0, 2 * Math.PI); ctx.fill();
        }
      } else this.line(ctx, L, X, Y, log, pw);
    }
    ctx.restore();
    return count;
  }

  /** A polyline; with more points than pixels it draws each pixel column's min–max span instead. */
  line(ctx, L, X, Y, log, pw) {
    const ok = (y) => y != null && isFinite(y) && !(log && y <= 0);
    ctx.beginPath();
    if (L.xs.length <= 2 * pw) {
      let pen = false;
      for (let i = 0; i < L.xs.length; i++) {
        if (!ok(L.ys[i])) { pen = false; continue; }
        const x = X(L.xs[i]), y = Y(L.ys[i]);
        if (pen) ctx.lineTo(x, y); else { ctx.moveTo(x, y); pen = true; }
      }
    } else {
      let col = null, ymin = 0, ymax = 0, first = true;
      const flush = () => {
        if (col == null) return;
        if (first) { ctx.moveTo(col, ymin); first = false; } else ctx.lineTo(col, ymin);
        ctx.lineTo(col, ymax);
      };
      for (let i = 0; i < L.xs.length; i++) {
        if (!ok(L.ys[i])) continue;
        const c = Math.round(X(L.xs[i])), y = Y(L.ys[i]);
        if (c !== col) { flush(); col = c; ymin = ymax = y; } else { ymin = Math.min(ymin, y); ymax = Math.max(ymax, y); }
      }
      flush();
    }
    ctx.stroke();
  }
}

const charts = {series: [], loss: null, acc: null};

function drawCharts() {
  const log = $('#log-scale').checked, smoothOn = $('#smooth').checked;
  const lossLayers = [], accLayers = [];
  let xMax = 0, trainPoints = 0;
  const drawn = new Map();
  for (const s of charts.series) {
    xMax = Math.max(xMax, s.xMax);
    const xs = [], loss = [], acc = [], ex = [], eLoss = [], eAcc = [];
    for (const p of s.points) {
      const x = p.iteration;
      if (p.train_loss != null) { xs.push(x); loss.push(p.train_loss); acc.push(p.train_accuracy); }
      if (p.test_loss != null || p.test_accuracy != null) { ex.push(x); eLoss.push(p.test_loss); eAcc.push(p.test_accuracy); }
    }
    trainPoints += xs.length;
    drawn.set(s.id, xs.length);
    if (smoothOn && xs.length > 20) {
      lossLayers.push({color: s.color, xs, ys: loss, alpha: 0.22, width: 1});
      lossLayers.push({color: s.color, xs, ys: smooth(loss, 0.95), width: 2});
      accLayers.push({color: s.color, xs, ys: smooth(acc.map((v) => (v == null ? NaN : v)), 0.95), style: 'dashed', width: 1.4, alpha: 0.8});
    } else {
      lossLayers.push({color: s.color, xs, ys: loss, width: 1.6});
      accLayers.push({color: s.color, xs, ys: acc, style: 'dashed', width: 1.2, alpha: 0.8});
    }
    lossLayers.push({color: s.color, xs: ex, ys: eLoss, style: 'dots'});
    accLayers.push({color: s.color, xs: ex, ys: eAcc, width: 2});
    accLayers.push({color: s.color, xs: ex, ys: eAcc, style: 'dots'});
  }
  const empty = charts.series.length ? 'Waiting for the first iterations…' : 'No job plotted yet';
  charts.loss.draw(lossLayers, {xMax, log, empty});
  charts.acc.draw(accLayers, {xMax, yMin: 0, yMax: 1, yFormat: (v) => Math.round(v * 100) + '%', empty});
  // For the browser test and assistive tech: how many points the loss chart holds, in all and per plotted job
  // (on the job's legend entry), and how many jobs have a curve.
  const canvas = $('#loss-chart');
  const series = [...drawn.values()].filter((n) => n > 0).length;
  canvas.dataset.points = trainPoints;
  canvas.dataset.series = series;
  canvas.setAttribute('aria-label', `Loss against iteration, ${charts.series.length} job(s), ${series} with a curve, ${trainPoints} points`);
  for (const li of $$('#legend li[data-id]')) li.dataset.points = drawn.get(li.dataset.id) || 0;
}

function setupCharts() {
  charts.loss = new Chart($('#loss-chart'));
  charts.acc = new Chart($('#acc-chart'));
  $('#log-scale').addEventListener('change', drawCharts);
  $('#smooth').addEventListener('change', drawCharts);
  let pending = 0;
  new ResizeObserver(() => {
    cancelAnimationFrame(pending);
    pending = requestAnimationFrame(() => { drawCharts(); redrawHistograms(); });
  }).observe($('#curves'));
}

// MARK: - Diagnostics: one small histogram per layer (as in the classic init comparison)

function drawHistogram(canvas, hist) {
  const dpr = window.devicePixelRatio || 1;
  const w = canvas.clientWidth, h = canvas.clientHeight;
  if (!w || !h) return;
  canvas.width = Math.round(w * dpr); canvas.height = Math.round(h * dpr);
  const ctx = canvas.getContext('2d');
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.clearRect(0, 0, w, h);
  const counts = (hist && hist.counts) || [], edges = (hist && hist.edges) || [];
  const pb = 14, ph = h - pb;
  ctx.fillStyle = '#5b6470';
  ctx.font = '10px system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';
  if (!counts.length) { ctx.textAlign = 'center'; ctx.fillText('no histogram', w / 2, h / 2); return; }
  const max = Math.max(...counts, 1);
  const color = canvas.dataset.color || '#2f6db5';
  const bw = w / counts.length;
  ctx.fillStyle = color;
  counts.forEach((c, i) => {
    const bh = (c / max) * (ph - 2);
    ctx.fillRect(i * bw + 0.5, ph - bh, Math.max(1, bw - 1), bh);
  });
  ctx.strokeStyle = '#9aa3ad'; ctx.beginPath(); ctx.moveTo(0, ph + 0.5); ctx.lineTo(w, ph + 0.5); ctx.stroke();
  ctx.fillStyle = '#5b6470'; ctx.textBaseline = 'top';
  if (edges.length) {
    ctx.textAlign = 'left'; ctx.fillText(num(edges[0], 2), 0, ph + 2);
    ctx.textAlign = 'right'; ctx.fillText(num(edges[edges.length - 1], 2), w, ph + 2);
  }
}

function redrawHistograms() {
  for (const c of $$('#diag-rows canvas')) drawHistogram(c, c.hist);
}

function renderDiagnostics(shown, label) {
  const box = $('#diag-rows');
  const rows = [];
  for (const j of shown) {
    const layers = (j.diagnostics && j.diagnostics.layers) || [];
    const sig = JSON.stringify([label(j), j.state, layers]);
    let row = box.querySelector(`[data-id="${CSS.escape(j.id)}"]`);
    if (row && row.dataset.sig === sig) { rows.push(row); continue; }
    row = el('section', {class: 'diag-row', 'data-id': j.id, 'aria-label': 'Layers of ' + label(j)},
      el('h3', {}, el('span', {class: 'swatch', style: 'background:' + colorOf(j.id), 'aria-hidden': 'true'}),
        el('span', {text: label(j)}), el('span', {class: 'hint', text: ' ' + summary(j)})));
    row.dataset.sig = sig;
    if (!layers.length) row.append(el('p', {class: 'hint', text: j.state === 'queued' ? 'Queued.' : 'No diagnostics yet (they appear at the first evaluation).'}));
    const grid = el('div', {class: 'hist-grid'});
    layers.forEach((L, i) => {
      const canvas = el('canvas', {role: 'img', 'data-color': colorOf(j.id),
        'aria-label': `Layer ${(L.index != null ? L.index : i) + 1} activation histogram`});
      canvas.hist = L.histogram;
      const last = i === layers.length - 1;
      const title = last ? 'output' : 'layer ' + ((L.index != null ? L.index : i) + 1);
      const dead = L.dead_fraction;
      grid.append(el('figure', {class: 'hist'},
        el('figcaption', {}, el('strong', {text: title}), el('span', {class: 'hint', text: ' ' + (L.units || '') + ' units'})),
        canvas,
        el('dl', {class: 'stats'},
          el('dt', {text: 'mean'}), el('dd', {text: num(L.activation_mean)}),
          el('dt', {text: 'std'}), el('dd', {text: num(L.activation_std)}),
          el('dt', {text: 'dead'}), el('dd', {class: dead > 0.5 ? 'bad' : '', text: pct(dead, 0)}),
          el('dt', {text: '‖W‖'}), el('dd', {text: num(L.weight_norm)}),
          el('dt', {text: '‖∇W‖'}), el('dd', {text: num(L.grad_norm)}),
          el('dt', {text: 'Δw/w'}), el('dd', {text: num(L.update_ratio_weights)}))));
    });
    row.append(grid);
    rows.push(row);
  }
  const old = new Set(box.children);
  box.replaceChildren(...rows);
  for (const row of rows) if (!old.has(row)) for (const c of $$('canvas', row)) drawHistogram(c, c.hist);
  if (!rows.length) box.replaceChildren(el('p', {class: 'hint', text: 'Plot a job to see its layers.'}));
}

// MARK: - Models

const models = {
  list: [], lastRefresh: 0, seenModelIds: '',
  async refresh() {
    try {
      const data = await api('GET', 'models');
      this.list = listOf(data, 'models').filter(modelId);
      this.list.sort((a, b) => String(b.created_at || '').localeCompare(String(a.created_at || '')));
    } catch (_) { return; }
    this.lastRefresh = Date.now();
    this.render();
  },
  // Refreshes when a job gained a model since last time, or every 15 s.
  async refreshIfChanged() {
    const ids = jobs.list.map((j) => j.model_id).filter(Boolean).join(',');
    if (ids !== this.seenModelIds || Date.now() - this.lastRefresh > 15000) {
      this.seenModelIds = ids;
      await this.refresh();
    }
  },
  label(m) {
    const acc = (m.metrics && m.metrics.test_accuracy) != null ? m.metrics.test_accuracy : m.test_accuracy;
    return [m.name || (m.job_id && jobLabel(jobs.byId.get(m.job_id))) || modelId(m), acc != null ? pct(acc, 2) : null]
      .filter(Boolean).join(' · ');
  },
  render() {
    const select = $('#model-select');
    const from = $('#f-from-model');
    const current = select.value, currentFrom = from.value;
    const options = this.list.map((m) => el('option', {value: modelId(m), text: this.label(m)}));
    select.replaceChildren(...(options.length ? options : [el('option', {value: '', text: 'no models yet'})]));
    if (current && this.list.some((m) => modelId(m) === current)) select.value = current;
    else if (current !== select.value) onModelChange();
    from.replaceChildren(el('option', {value: '', text: '— fresh weights —'}),
      ...this.list.map((m) => el('option', {value: modelId(m), text: this.label(m)})));
    from.value = currentFrom;
  },
  selected() { return this.list.find((m) => modelId(m) === $('#model-select').value) || null; },
  dataset() {
    const m = this.selected();
    return (m && (m.dataset || (m.config && m.config.dataset))) || 'mnist';
  },
};

function onModelChange() {
  showLabel('–');
  $('#pred-bars').replaceChildren();
  if (pad.pixels) predictDrawing();
  tests.predictions.clear();
  tests.render();
}

function probabilityBars(probs, truth) {
  const best = probs.indexOf(Math.max(...probs));
  return probs.map((p, d) => el('div', {class: 'bar-row' + (d === best ? ' best' : '') + (d === truth ? ' truth' : '')},
    el('span', {class: 'digit', text: String(d)}),
    el('span', {class: 'track'}, el('span', {class: 'fill', style: `width:${(100 * p).toFixed(1)}%`})),
    el('span', {class: 'val', text: pct(p)})));
}

// MARK: - Drawing pad and MNIST-style preprocessing

const pad = {drawing: false, last: null, pixels: null, timer: 0, seq: 0};

function showLabel(text) {
  $('#pred-label').textContent = text;
  $('#pred-label').classList.toggle('none', text === '–');
}

function clearPad() {
  const ctx = $('#pad').getContext('2d');
  ctx.fillStyle = '#000';
  ctx.fillRect(0, 0, 280, 280);
  pad.pixels = null;
  $('#preview').getContext('2d').clearRect(0, 0, 28, 28);
  showLabel('–');
  $('#pred-note').textContent = 'Draw, then release';
  $('#pred-bars').replaceChildren();
}

function setupPad() {
  const canvas = $('#pad');
  const ctx = canvas.getContext('2d');
  clearPad();
  const at = (ev) => {
    const r = canvas.getBoundingClientRect();
    return [(ev.clientX - r.left) * (canvas.width / r.width), (ev.clientY - r.top) * (canvas.height / r.height)];
  };
  const stroke = (from, to) => {
    ctx.strokeStyle = '#fff'; ctx.lineWidth = 18; ctx.lineCap = 'round'; ctx.lineJoin = 'round';
    ctx.beginPath(); ctx.moveTo(from[0], from[1]); ctx.lineTo(to[0], to[1]); ctx.stroke();
  };
  canvas.addEventListener('pointerdown', (ev) => {
    ev.preventDefault();
    canvas.setPointerCapture(ev.pointerId);
    pad.drawing = true;
    pad.last = at(ev);
    stroke(pad.last, pad.last);
    clearTimeout(pad.timer);
  });
  canvas.addEventListener('pointermove', (ev) => {
    if (!pad.drawing) return;
    const events = ev.getCoalescedEvents ? ev.getCoalescedEvents() : [ev];
    for (const e of (events.length ? events : [ev])) { const p = at(e); stroke(pad.last, p); pad.last = p; }
  });
  const end = () => {
    if (!pad.drawing) return;
    pad.drawing = false;
    updatePreview();
    clearTimeout(pad.timer);
    pad.timer = setTimeout(predictDrawing, 150);
  };
  canvas.addEventListener('pointerup', end);
  canvas.addEventListener('pointercancel', end);
  $('#clear-btn').addEventListener('click', clearPad);
  $('#predict-btn').addEventListener('click', () => { updatePreview(); predictDrawing(); });
}

/** Area-averaging resample of one axis: source pixel i covers [i·scale, (i+1)·scale) of the output. */
function resampleAxis(src, srcLen, lines, scale, outLen, stride, lineStride, outStride, outLineStride) {
  const out = new Float32Array(lines * outLen);
  for (let l = 0; l < lines; l++) {
    for (let i = 0; i < srcLen; i++) {
      const v = src[l * lineStride + i * stride];
      if (!v) continue;
      const a = i * scale, b = (i + 1) * scale;
      for (let o = Math.floor(a); o < Math.min(outLen, Math.ceil(b)); o++) {
        const overlap = Math.min(b, o + 1) - Math.max(a, o);
        if (overlap > 0) out[l * outLineStride + o * outStride] += v * overlap;
      }
    }
  }
  return out;
}

/**
 * MNIST's preprocessing: crop to the ink's bounding box, scale it to fit 20×20 keeping the aspect ratio
 * (area averaging gives anti-aliased greys), then place it in 28×28 so its centre of mass is the centre.
 * Input: RGBA of a white-on-black drawing; output: 784 integers 0..255, row-major, or null when blank.
 */
function preprocess(rgba, w, h) {
  let x0 = w, y0 = h, x1 = -1, y1 = -1;
  const grey = new Float32Array(w * h);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) {
    const v = rgba[4 * (y * w + x)];
    if (v > 0) { grey[y * w + x] = v; if (x < x0) x0 = x; if (x > x1) x1 = x; if (y < y0) y0 = y; if (y > y1) y1 = y; }
  }
  if (x1 < 0) return null;
  const bw = x1 - x0 + 1, bh = y1 - y0 + 1;
  const s = 20 / Math.max(bw, bh);
  const tw = Math.max(1, Math.round(bw * s)), th = Math.max(1, Math.round(bh * s));
  const crop = new Float32Array(bw * bh);
  for (let y = 0; y < bh; y++) for (let x = 0; x < bw; x++) crop[y * bw + x] = grey[(y + y0) * w + x + x0];
  // Rows first (bh lines of bw → tw), then columns (tw lines of bh → th).
  const rows = resampleAxis(crop, bw, bh, tw / bw, tw, 1, bw, 1, tw);
  const small = resampleAxis(rows, bh, tw, th / bh, th, tw, 1, tw, 1);
  let mass = 0, mx = 0, my = 0;
  for (let y = 0; y < th; y++) for (let x = 0; x < tw; x++) { const v = small[y * tw + x]; mass += v; mx += v * x; my += v * y; }
  const cx = mass ? mx / mass : (tw - 1) / 2, cy = mass ? my / mass : (th - 1) / 2;
  // MNIST's centres of mass (row/column index) lie within half a pixel of 14: checked against its test set.
  const ox = Math.max(0, Math.min(28 - tw, Math.round(14 - cx)));
  const oy = Math.max(0, Math.min(28 - th, Math.round(14 - cy)));
  const out = new Array(784).fill(0);
  for (let y = 0; y < th; y++) for (let x = 0; x < tw; x++) {
    out[(y + oy) * 28 + x + ox] = Math.max(0, Math.min(255, Math.round(small[y * tw + x])));
  }
  return out;
}

function paintDigit(canvas, pixels) {
  const ctx = canvas.getContext('2d');
  const img = ctx.createImageData(28, 28);
  for (let i = 0; i < 784; i++) {
    const v = pixels[i];
    img.data[4 * i] = img.data[4 * i + 1] = img.data[4 * i + 2] = v;
    img.data[4 * i + 3] = 255;
  }
  ctx.putImageData(img, 0, 0);
}

function updatePreview() {
  const data = $('#pad').getContext('2d').getImageData(0, 0, 280, 280).data;
  pad.pixels = preprocess(data, 280, 280);
  if (pad.pixels) paintDigit($('#preview'), pad.pixels);
}

async function predictDrawing() {
  const note = $('#pred-note');
  if (!pad.pixels) { note.textContent = 'Draw a digit first'; return; }
  const m = models.selected();
  if (!m) { note.textContent = 'No model yet: train a job to get one'; return; }
  const seq = ++pad.seq;
  note.textContent = 'Predicting…';
  try {
    const res = await api('POST', `models/${encodeURIComponent(modelId(m))}/predict`, {pixels: pad.pixels});
    if (seq !== pad.seq) return;
    const p = res.predictions[0];
    showLabel(String(p.label));
    note.textContent = 'confidence ' + pct(p.probabilities[p.label]);
    $('#pred-bars').replaceChildren(...probabilityBars(p.probabilities));
  } catch (e) {
    if (seq === pad.seq) note.textContent = e instanceof ApiError ? `Prediction failed (${e.status}): ${e.message}` : String(e);
  }
}

// MARK: - Test image browser

const PAGE = 12;
const tests = {
  images: new Map(), predictions: new Map(), imageMissing: false, selected: null, seq: 0,
  start() { return Math.max(0, Math.min(9999, Math.floor(Number($('#test-index').value) || 0))); },
  async render() {
    const seq = ++this.seq;
    const start = this.start();
    const grid = $('#test-grid');
    const m = models.selected();
    const ds = models.dataset();
    const indices = Array.from({length: PAGE}, (_, k) => start + k);
    const cells = indices.map((i) => {
      const canvas = el('canvas', {width: 28, height: 28, 'aria-hidden': 'true'});
      const button = el('button', {type: 'button', class: 'test-cell', 'data-index': i}, canvas,
        el('span', {class: 'cap', text: '#' + i}));
      button.addEventListener('click', () => this.select(i));
      return el('li', {}, button);
    });
    grid.replaceChildren(...cells);
    await pool(indices, 4, async (i, k) => {
      const key = ds + ':' + i;
      if (!this.images.has(key) && !this.imageMissing) {
        try { this.images.set(key, await api('GET', `datasets/${encodeURIComponent(ds)}/test/${i}`)); } catch (e) {
          // A server without the endpoint: stop asking (each failed request is a console error too).
          if ([404, 405, 501].includes(e.status)) this.imageMissing = true;
        }
      }
      const pk = (m ? modelId(m) : '') + ':' + i;
      if (m && !this.predictions.has(pk)) {
        try {
          const res = await api('POST', `models/${encodeURIComponent(modelId(m))}/predict`, {test_index: i});
          this.predictions.set(pk, res.predictions[0]);
        } catch (_) { /* shown as "?" */ }
      }
      if (seq !== this.seq) return;
      this.paintCell(cells[k].firstChild, i, this.images.get(key), m ? this.predictions.get(pk) : null, !!m);
    });
    if (seq !== this.seq) return;
    if (this.imageMissing && !this.images.size) {
      $('#test-detail').replaceChildren(el('p', {class: 'hint', text: `This server has no GET /datasets/${ds}/test/{index}: images cannot be shown, predictions still can.`}));
    } else if (this.selected != null && indices.includes(this.selected)) this.select(this.selected);
  },
  paintCell(button, i, image, pred, hasModel) {
    if (image) paintDigit(button.firstChild, image.pixels);
    const truth = image ? image.label : null;
    const cap = button.lastChild;
    const guess = pred ? pred.label : null;
    const correct = guess != null && truth != null ? guess === truth : null;
    cap.textContent = `#${i} ` + (guess != null ? '→ ' + guess : hasModel ? '?' : '');
    button.classList.toggle('right', correct === true);
    button.classList.toggle('wrong', correct === false);
    button.setAttribute('aria-label', `Test image ${i}` + (truth != null ? `, label ${truth}` : '') +
      (guess != null ? `, predicted ${guess}` + (correct === false ? ' (wrong)' : '') : ''));
  },
  select(i) {
    this.selected = i;
    for (const b of $$('#test-grid .test-cell')) b.setAttribute('aria-pressed', String(Number(b.dataset.index) === i));
    const m = models.selected();
    const image = this.images.get(models.dataset() + ':' + i);
    const pred = m ? this.predictions.get(modelId(m) + ':' + i) : null;
    const canvas = el('canvas', {width: 28, height: 28, class: 'big-digit', role: 'img', 'aria-label': 'Test image ' + i});
    if (image) paintDigit(canvas, image.pixels);
    const lines = [el('strong', {text: 'Test image #' + i}),
      el('span', {text: 'label ' + (image ? image.label : '?') + ' · predicted ' + (pred ? pred.label : '?')})];
    $('#test-detail').replaceChildren(
      el('div', {class: 'detail-head'}, canvas, el('div', {class: 'detail-text'}, ...lines)),
      pred ? el('div', {class: 'bars'}, ...probabilityBars(pred.probabilities, image ? image.label : null)) : '');
  },
};

function setupTests() {
  const input = $('#test-index');
  const go = (v) => { input.value = Math.max(0, Math.min(10000 - PAGE, v)); tests.render(); };
  $('#tests-prev').addEventListener('click', () => go(tests.start() - PAGE));
  $('#tests-next').addEventListener('click', () => go(tests.start() + PAGE));
  $('#tests-random').addEventListener('click', () => go(Math.floor(Math.random() * (10000 - PAGE))));
  input.addEventListener('change', () => go(tests.start()));
  $('#model-select').addEventListener('change', onModelChange);
}

// MARK: - Start

function start() {
  setupToken();
  setupForm();
  setupCharts();
  setupPad();
  setupTests();
  try { plot.explicit = new Set(JSON.parse(localStorage.getItem('mnistd.plotted') || '[]')); } catch (_) { plot.explicit = new Set(); }
  $('#state-filter').addEventListener('change', () => poll.now());
  $('#more-jobs').addEventListener('click', () => { jobs.limit += 25; poll.now(); });
  document.addEventListener('visibilitychange', () => { if (!document.hidden) poll.now(); });
  refreshHealth();
  setInterval(refreshHealth, 15000);
  models.refresh().then(() => tests.render());
  poll.run();
}

start();
