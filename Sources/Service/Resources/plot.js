// The plotted jobs: which are ticked, their colours, their details and history fetched incrementally, and
// what is drawn from them: legend, warning/error banners, the charts and the layer histograms.
import {$, el, pool, PALETTE, TERMINAL} from './dom.js';
import {api} from './api.js';
import {jobs, jobLabel, updateRow} from './jobs.js';
import {charts, drawCharts} from './charts.js';
import {renderDiagnostics} from './layers.js';

export const plot = {explicit: new Set(), colors: new Map(), histories: new Map(), details: new Map(), sigs: new Map()};

export function savePlotted() { localStorage.setItem('mnistd.plotted', JSON.stringify([...plot.explicit])); }

/** The jobs on the chart: the ticked ones, or the newest job when none is ticked. */
export function plottedIds() {
  if (plot.explicit.size) return [...plot.explicit];
  return jobs.list.length ? [jobs.list[0].id] : [];
}

export function colorOf(id) {
  if (!plot.colors.has(id)) {
    const used = new Set(plot.colors.values());
    plot.colors.set(id, PALETTE.find((c) => !used.has(c)) || PALETTE[plot.colors.size % PALETTE.length]);
  }
  return plot.colors.get(id);
}

export async function refreshPlotted() {
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
    const data = await api('GET', `jobs/${encodeURIComponent(id)}/history?from=${Math.max(0, h.last)}`);
    for (const p of (data && data.points) || []) {
      const it = p.iteration != null ? p.iteration : h.points.length;
      // Points arrive in order, `from` the last one held: it comes again with what was evaluated on it since
      // (a test or validation result), so equal iterations merge and older ones are dropped.
      if (it < h.last) continue;
      if (it === h.last && h.points.length) Object.assign(h.points[h.points.length - 1], p);
      else h.points.push(p);
      h.last = it;
    }
    if (terminal) h.complete = true;
  });
  renderPlotted(ids);
}

export function renderPlotted(ids) {
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

export function errorText(error) {
  if (typeof error === 'string') return error;
  const message = error.message || '';
  // The message may already say where ("training diverged at iteration 2 ..."): say it once.
  const at = error.iteration != null && !message.includes('iteration ' + error.iteration) ? ' at iteration ' + error.iteration : '';
  return (error.code || 'error') + at + ': ' + message;
}

export function warningBanner(job, w) {
  return el('div', {class: 'banner warn', role: 'note'},
    el('strong', {text: '⚠ ' + (w.code || 'warning')}), ' ', el('span', {text: w.message || ''}),
    el('span', {class: 'hint', text: ' — ' + jobLabel(job)}));
}

export function renderAlerts(shown, label) {
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
