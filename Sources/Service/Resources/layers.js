// Diagnostics: one small activation histogram per layer and its statistics (mean, std, dead fraction,
// weight and gradient norms, update ratio), one row per plotted job.
import {$, $$, el, pct, num} from './dom.js';
import {colorOf} from './plot.js';
import {summary} from './jobs.js';

export function drawHistogram(canvas, hist) {
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

export function redrawHistograms() {
  for (const c of $$('#diag-rows canvas')) drawHistogram(c, c.hist);
}

export function renderDiagnostics(shown, label) {
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
