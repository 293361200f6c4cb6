// The loss, accuracy and learning-rate charts of the plotted jobs: train minibatch lines (smoothed or raw),
// test dots, validation dashes and squares, each step's learning rate, and data-points/data-series attributes
// saying how much is drawn (for assistive tech and the browser test).
import {$, $$} from './dom.js';
import {Chart, smooth} from './chart.js';
import {redrawHistograms} from './layers.js';

export const charts = {series: [], loss: null, acc: null, lr: null};

export function drawCharts() {
  const log = $('#log-scale').checked, smoothOn = $('#smooth').checked;
  const lossLayers = [], accLayers = [], lrLayers = [];
  let xMax = 0, trainPoints = 0, validationPoints = 0, ratePoints = 0, rateMax = 0;
  const drawn = new Map();
  for (const s of charts.series) {
    xMax = Math.max(xMax, s.xMax);
    const xs = [], loss = [], acc = [], ex = [], eLoss = [], eAcc = [], vx = [], vLoss = [], vAcc = [], rx = [], rates = [];
    for (const p of s.points) {
      const x = p.iteration;
      if (p.train_loss != null) { xs.push(x); loss.push(p.train_loss); acc.push(p.train_accuracy); }
      if (p.test_loss != null || p.test_accuracy != null) { ex.push(x); eLoss.push(p.test_loss); eAcc.push(p.test_accuracy); }
      if (p.validation_loss != null) { vx.push(x); vLoss.push(p.validation_loss); vAcc.push(p.validation_accuracy); }
      if (p.learning_rate != null) { rx.push(x); rates.push(p.learning_rate); rateMax = Math.max(rateMax, p.learning_rate); }
    }
    validationPoints += vx.length;
    ratePoints += rx.length;
    if (vx.length) {
      lossLayers.push({color: s.color, xs: vx, ys: vLoss, style: 'dashed', width: 2});
      accLayers.push({color: s.color, xs: vx, ys: vAcc, style: 'squares'});
    }
    if (rx.length) lrLayers.push({color: s.color, xs: rx, ys: rates, width: 1.6});
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
  charts.lr.draw(lrLayers, {xMax, yMin: 0, yMax: rateMax > 0 ? rateMax * 1.05 : 1, yFormat: (v) => v.toPrecision(2), empty});
  $('#lr-chart').dataset.points = ratePoints;
  $('#acc-chart').dataset.validationPoints = validationPoints;
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
  charts.lr = new Chart($('#lr-chart'));
  $('#log-scale').addEventListener('change', drawCharts);
  $('#smooth').addEventListener('change', drawCharts);
  let pending = 0;
  new ResizeObserver(() => {
    cancelAnimationFrame(pending);
    pending = requestAnimationFrame(() => { drawCharts(); redrawHistograms(); });
  }).observe($('#curves'));
}
