// The Experiments card: every sweep and init comparison (GET /experiments), and the chosen one's runs side by
// side: what each varied, how far it got under successive halving, and its validation and test figures, the
// best run marked. Its runs can be plotted together; an experiment can be cancelled or deleted.
import {$, el, num, pct, toast, TERMINAL} from './dom.js';
import {api, ApiError} from './api.js';
import {plot, savePlotted} from './plot.js';

export const experiments = {list: [], selected: null, sig: '', deleteArmed: false};

const valueText = (v) => typeof v === 'string' ? v : JSON.stringify(v);
const paramsText = (params) => Object.entries(params || {}).map(([k, v]) => `${k.split('.').pop()}=${valueText(v)}`).join(', ');

/** The run's halving stage in words: "rung 1 · culled", "rung 0 · waiting"; empty without a scheduler. */
function stage(run) {
  const sh = run.successive_halving;
  return sh ? `rung ${sh.rung} · ${sh.status}` : '';
}

export async function refreshExperiments() {
  const data = await api('GET', 'experiments');
  experiments.list = (data && data.experiments) || [];
  if (!experiments.list.some((e) => e.id === experiments.selected)) {
    experiments.selected = experiments.list.length ? experiments.list[0].id : null;
  }
  // Re-render only on change: the table keeps its nodes (and the reader's focus) while nothing moved.
  const sig = JSON.stringify([experiments.selected, experiments.list]);
  if (sig !== experiments.sig) { experiments.sig = sig; renderExperiments(); }
  return experiments.list.some((e) => !TERMINAL.has(e.state));
}

function renderPicker() {
  const select = $('#exp-select');
  const options = experiments.list.map((e) => el('option', {value: e.id, text:
    `${e.name || e.id} · ${e.kind === 'init_comparison' ? 'init comparison' : e.search || 'sweep'} · ${e.jobs.length} runs · ${e.state}`}));
  select.replaceChildren(...(options.length ? options : [el('option', {value: '', text: 'no experiments yet'})]));
  select.value = experiments.selected || '';
  select.disabled = !options.length;
}

function renderRuns(exp) {
  const table = $('#exp-runs');
  if (!exp) { table.replaceChildren(); $('#exp-summary').textContent = ''; return; }
  const best = exp.best && exp.best.job_id;
  const halving = exp.jobs.some((j) => j.successive_halving);
  const heads = ['Run', 'State', ...(halving ? ['Stage'] : []), 'Iter', 'Val loss', 'Val acc', 'Test acc'];
  const rows = exp.jobs.map((job) => {
    const m = job.metrics || {};
    const p = job.progress || {};
    const cells = [paramsText(job.params) || job.name || job.id, job.state, ...(halving ? [stage(job)] : []),
      p.iterations ? `${p.iteration}/${p.iterations}` : '–',
      num(m.validation_loss, 4), pct(m.validation_accuracy, 2), pct(m.test_accuracy, 2)];
    return el('tr', {'data-id': job.id, class: job.id === best ? 'best' : null},
      ...cells.map((c, i) => el(i === 0 ? 'th' : 'td', i === 0 ? {scope: 'row', text: c} : {text: c})));
  });
  $('#exp-summary').textContent = `${exp.jobs.length} runs` + (exp.varied && exp.varied.length ? ' varying ' + exp.varied.join(', ') : '') +
    (best ? ` · best ★ ${paramsText(exp.best.params)} (${exp.best.metric.replace('_', ' ')} ${exp.best.metric.endsWith('accuracy') ? pct(exp.best.value, 2) : num(exp.best.value, 4)})` : '');
  table.replaceChildren(
    el('thead', {}, el('tr', {}, ...heads.map((h) => el('th', {scope: 'col', text: h})))),
    el('tbody', {}, ...rows));
}

export function renderExperiments() {
  renderPicker();
  const exp = experiments.list.find((e) => e.id === experiments.selected) || null;
  renderRuns(exp);
  $('#exp-actions').hidden = !exp;
  if (exp) {
    $('#exp-cancel').disabled = TERMINAL.has(exp.state);
    $('#exp-delete').disabled = !TERMINAL.has(exp.state);
  }
}

function selectedExperiment() { return experiments.list.find((e) => e.id === experiments.selected) || null; }

async function act(action, poll) {
  const exp = selectedExperiment();
  if (!exp) return;
  try {
    if (action === 'plot') {
      plot.explicit = new Set(exp.jobs.map((j) => j.id));
      savePlotted();
      toast(`Plotting the ${exp.jobs.length} runs of ${exp.name || exp.id}`);
    } else if (action === 'cancel') {
      await api('POST', `experiments/${encodeURIComponent(exp.id)}/cancel`);
      toast('Cancelling ' + (exp.name || exp.id));
    } else {
      const button = $('#exp-delete');
      if (!experiments.deleteArmed) {
        experiments.deleteArmed = true;
        button.textContent = 'Confirm delete';
        setTimeout(() => { experiments.deleteArmed = false; button.textContent = 'Delete'; }, 4000);
        return;
      }
      experiments.deleteArmed = false;
      button.textContent = 'Delete';
      await api('DELETE', `experiments/${encodeURIComponent(exp.id)}`);
      toast('Deleted ' + (exp.name || exp.id) + ' and its runs');
    }
    await poll.now();
  } catch (e) {
    if (e instanceof ApiError && e.status !== 401) toast(`${action} failed: ${e.message}`, 'bad');
    else if (!(e instanceof ApiError)) throw e;
  }
}

/** Wires the picker and the buttons; `poll` is the refresh loop (passed in, so this module does not import it). */
export function setupExperiments(poll) {
  $('#exp-select').addEventListener('change', (ev) => { experiments.selected = ev.target.value || null; experiments.sig = ''; poll.now(); });
  $('#exp-plot').addEventListener('click', () => act('plot', poll));
  $('#exp-cancel').addEventListener('click', () => act('cancel', poll));
  $('#exp-delete').addEventListener('click', () => act('delete', poll));
}
