// The dashboard's entry point: wires each panel (header, form, jobs, charts, draw, test images, evaluation,
// experiments) and starts the refresh loop. window.mnistd exposes the form, the pad and the preprocessing to the browser test.
import {$} from './dom.js';
import {setupToken, refreshHealth} from './api.js';
import {form, setupForm, writeForm} from './form.js';
import {jobs} from './jobs.js';
import {plot} from './plot.js';
import {poll} from './poll.js';
import {setupCharts} from './charts.js';
import {models} from './models.js';
import {pad, setupPad, preprocess} from './draw.js';
import {tests, setupTests} from './evaluation.js';
import {confusionView, setupConfusion} from './confusion.js';
import {setupExperiments} from './experiments.js';
import {setupSweep} from './sweep.js';

function start() {
  setupToken();
  setupForm();
  setupCharts();
  setupPad();
  setupTests();
  setupConfusion();
  setupExperiments(poll);
  setupSweep(poll);
  try { plot.explicit = new Set(JSON.parse(localStorage.getItem('mnistd.plotted') || '[]')); } catch (_) { plot.explicit = new Set(); }
  $('#state-filter').addEventListener('change', () => poll.now());
  $('#more-jobs').addEventListener('click', () => { jobs.limit += 25; poll.now(); });
  document.addEventListener('visibilitychange', () => { if (!document.hidden) poll.now(); });
  refreshHealth();
  setInterval(refreshHealth, 15000);
  models.refresh().then(() => { tests.render(); confusionView.render(); });
  poll.run();
}

window.mnistd = {form, writeForm, pad, preprocess};
start();
