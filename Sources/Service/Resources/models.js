// The stored models: the list (refreshed when a job gains a model), the model select of the draw, test-image
// and evaluation panels, the form's model pickers, and the probability bars both panels show.
import {$, el, pct} from './dom.js';
import {api, listOf, modelId} from './api.js';
import {jobs, jobLabel} from './jobs.js';
import {setModelOptions} from './widgets.js';
import {pad, showLabel, predictDrawing} from './draw.js';
import {tests} from './evaluation.js';
import {confusionView} from './confusion.js';

export const models = {
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
    const current = select.value;
    const options = this.list.map((m) => el('option', {value: modelId(m), text: this.label(m)}));
    select.replaceChildren(...(options.length ? options : [el('option', {value: '', text: 'no models yet'})]));
    if (current && this.list.some((m) => modelId(m) === current)) select.value = current;
    else if (current !== select.value) onModelChange();
    setModelOptions(this.list.map((m) => ({value: modelId(m), text: this.label(m)})));
  },
  selected() { return this.list.find((m) => modelId(m) === $('#model-select').value) || null; },
  dataset() {
    const m = this.selected();
    return (m && (m.dataset || (m.config && m.config.dataset))) || 'mnist';
  },
};

export function onModelChange() {
  showLabel('–');
  $('#pred-bars').replaceChildren();
  if (pad.pixels) predictDrawing();
  tests.predictions.clear();
  tests.render();
  confusionView.render();
}

export function probabilityBars(probs, truth) {
  const best = probs.indexOf(Math.max(...probs));
  return probs.map((p, d) => el('div', {class: 'bar-row' + (d === best ? ' best' : '') + (d === truth ? ' truth' : '')},
    el('span', {class: 'digit', text: String(d)}),
    el('span', {class: 'track'}, el('span', {class: 'fill', style: `width:${(100 * p).toFixed(1)}%`})),
    el('span', {class: 'val', text: pct(p)})));
}
