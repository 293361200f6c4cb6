// The job list: one row per job (state, progress, metrics, warnings, cancel and two-step delete), kept in
// place between polls so focus survives, and the one-line summary of a job's config.
import {$, $$, el, pct, num, duration, compact, toast, TERMINAL} from './dom.js';
import {api, ApiError, listOf} from './api.js';
import {plot, plottedIds, colorOf, savePlotted, errorText} from './plot.js';
import {poll} from './poll.js';

export const jobs = {list: [], limit: 25, hasMore: false, byId: new Map(), rows: new Map(), deleteArmed: new Set()};

export const jobLabel = (job) => (job && (job.name || job.id)) || '?';
export function architecture(job) {
  const m = (job.config && job.config.model) || {};
  const hidden = m.hidden || [];
  return ['784', ...hidden, '10'].join('-');
}
export function summary(job) {
  const m = (job.config && job.config.model) || {}, t = (job.config && job.config.training) || {};
  const parts = [architecture(job), m.activation, m.init === 'normal' ? 'normal σ=' + m.init_std : m.init,
    t.optimizer && t.optimizer + ' lr ' + t.learning_rate, t.batch_size && 'batch ' + t.batch_size];
  return parts.filter(Boolean).join(' · ');
}

export async function refreshJobs() {
  const state = $('#state-filter').value;
  const data = await api('GET', `jobs?limit=${jobs.limit}` + (state ? '&state=' + encodeURIComponent(state) : ''));
  jobs.list = listOf(data, 'jobs');
  jobs.hasMore = !!(data && (data.next_cursor || data.cursor)) || jobs.list.length >= jobs.limit;
  for (const j of jobs.list) jobs.byId.set(j.id, j);
  renderJobs();
}

export function jobRow(id) {
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

export function updateRow(row, job) {
  const p = job.progress || {}, m = job.metrics || {};
  const plotted = plottedIds().includes(job.id);
  row.parts.check.checked = plotted;
  const swatch = $('.swatch', row);
  swatch.hidden = !plotted;
  if (plotted) swatch.style.background = colorOf(job.id);
  $('.job-name', row).textContent = jobLabel(job);
  const warns = (job.warnings || []).length;
  // A job that finished but was warned about (std=0.01 ending at chance) is not shown as a plain green success.
  const warned = job.state === 'succeeded' && warns > 0;
  const state = $('.state', row);
  state.dataset.state = job.state;
  state.textContent = warned ? 'succeeded, with warnings' : job.state;
  state.className = 'state s-' + (warned ? 'warned' : job.state);
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
  // A failed job's progress stops at its last reported step; the error says where it really ended.
  const failedAt = job.state === 'failed' && job.error && job.error.iteration != null ? job.error.iteration : null;
  if (failedAt != null && p.iterations) meta.push(`failed at iter ${compact(failedAt)}/${compact(p.iterations)}`);
  else if (p.iterations) meta.push(`iter ${compact(p.iteration || 0)}/${compact(p.iterations)}`);
  if (p.epochs) meta.push(`epoch ${p.epoch || 0}/${p.epochs}`);
  if (job.state === 'running') {
    if (p.samples_per_second) meta.push(compact(p.samples_per_second) + ' samples/s');
    meta.push('ETA ' + duration(p.eta_seconds));
  } else if (job.started_at && job.finished_at) {
    meta.push('took ' + duration((Date.parse(job.finished_at) - Date.parse(job.started_at)) / 1000));
  } else if (job.state === 'queued') meta.push('waiting for a worker');
  const watch = job.early_stopping;
  if (job.stopped_early_at_iteration != null) {
    meta.push(`stopped early at ${job.stopped_early_at_iteration}` +
      (watch && watch.kept_iteration != null ? `, weights of ${watch.kept_iteration}` : ''));
  } else if (watch && watch.best_iteration != null && job.state === 'running') {
    meta.push(`best ${watch.metric.replace('validation_', 'val ')} at ${watch.best_iteration} (waited ${watch.waited}/${watch.patience})`);
  }
  if (m.validation_accuracy != null) meta.push('val acc ' + pct(m.validation_accuracy));
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

export function renderJobs() {
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

export async function act(id, action, button) {
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
