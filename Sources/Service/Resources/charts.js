// The loss and accuracy charts of the plotted jobs: train minibatch lines (smoothed or raw), test dots, and
// data-points/data-series attributes saying how much is drawn (for assistive tech and the browser test).
import {$, $$} from './dom.js';
import {Chart, smooth} from './chart.js';
import {redrawHistograms} from './layers.js';

export const charts = {series: [], loss: null, acc: null};

export function drawCharts() {
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

export function setupCharts() {
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
