// The sweep form in the Experiments card: the job form above is the base config, a JSON grid says which fields
// vary, and successive halving can be switched on. POST /experiments/sweep checks every run; its 400 names the
// path that failed, shown under the form.
import {$, toast} from './dom.js';
import {api, ApiError} from './api.js';
import {readForm} from './form.js';
import {plot, savePlotted} from './plot.js';
import {experiments} from './experiments.js';

export const EXAMPLE_GRID = {'training.learning_rate': [0.01, 0.05, 0.1], 'model.init': ['he', 'xavier']};

function showError(message) {
  const banner = $('#sweep-error');
  banner.textContent = message;
  banner.hidden = !message;
}

/** The request the form describes, or throws an Error saying what is wrong with it. */
export function sweepRequest() {
  const {body, errors} = readForm();
  if (errors.length) throw new Error(`The job form above is the base config: ${errors[0].path}: ${errors[0].message}`);
  let grid;
  try { grid = JSON.parse($('#sweep-grid').value); } catch (e) { throw new Error('Grid: not JSON (' + e.message + ')'); }
  if (!grid || typeof grid !== 'object' || Array.isArray(grid) || !Object.keys(grid).length) {
    throw new Error('Grid: an object of config path → list of values, such as ' + JSON.stringify(EXAMPLE_GRID));
  }
  const request = {base: body, grid};
  const name = $('#sweep-name').value.trim();
  if (name) request.name = name;
  if ($('#sweep-halving').checked) {
    request.scheduler = {type: 'successive_halving', metric: 'validation_loss', reduction: Number($('#sweep-reduction').value) || 3};
  }
  return request;
}

async function submitSweep(poll) {
  showError('');
  let request;
  try { request = sweepRequest(); } catch (e) { showError(e.message); return; }
  const button = $('#sweep-submit');
  button.disabled = true;
  try {
    const res = await api('POST', 'experiments/sweep', request);
    toast(`Started a sweep of ${res.job_ids.length} runs`, 'ok');
    experiments.selected = res.id;
    experiments.sig = '';
    plot.explicit = new Set(res.job_ids);
    savePlotted();
    await poll.now();
  } catch (e) {
    if (!(e instanceof ApiError)) throw e;
    if (e.status === 429) showError('Queue full: ' + e.message);
    else if (e.status !== 401) showError(`The server refused the sweep (${e.status} ${e.code}): ` + (e.field ? e.field + ': ' : '') + e.message);
  } finally {
    button.disabled = false;
  }
}

export function setupSweep(poll) {
  const grid = $('#sweep-grid');
  // One line per path: the values of a path read across, as they are typed.
  if (!grid.value) grid.value = '{\n' + Object.entries(EXAMPLE_GRID).map(([k, v]) => ' ' + JSON.stringify(k) + ': ' + JSON.stringify(v)).join(',\n') + '\n}';
  const halving = $('#sweep-halving');
  const sync = () => { $('#sweep-reduction').disabled = !halving.checked; };
  halving.addEventListener('change', sync);
  sync();
  $('#sweep-form').addEventListener('submit', (ev) => { ev.preventDefault(); submitSweep(poll); });
}
