// A line/dot chart on a canvas, own code: nice linear and log ticks, axes, clipping, and min–max columns when
// a series has more points than pixels; plus the debiased moving average used to smooth curves.
import {num, compact} from './dom.js';

export function niceTicks(lo, hi, count = 5) {
  if (!(hi > lo)) hi = lo + 1;
  const raw = (hi - lo) / count;
  const mag = Math.pow(10, Math.floor(Math.log10(raw)));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => s >= raw) || 10 * mag;
  const ticks = [];
  for (let v = Math.ceil(lo / step - 1e-9) * step; v <= hi + step * 1e-9; v += step) ticks.push(+v.toPrecision(12));
  return ticks;
}

/** Log ticks: each decade, plus 2 and 5 when the range spans few decades. */
export function logTicks(lo, hi) {
  const ticks = [];
  const a = Math.floor(Math.log10(lo)), b = Math.ceil(Math.log10(hi));
  for (let d = a; d <= b; d++) for (const m of (b - a <= 2 ? [1, 2, 5] : [1])) {
    const v = m * Math.pow(10, d);
    if (v >= lo * 0.999 && v <= hi * 1.001) ticks.push(v);
  }
  return ticks;
}

/** Debiased exponential moving average (as TensorBoard's smoothing). */
export function smooth(values, weight) {
  const out = new Array(values.length);
  let last = 0, n = 0;
  for (let i = 0; i < values.length; i++) {
    last = last * weight + (1 - weight) * values[i];
    n++;
    out[i] = last / (1 - Math.pow(weight, n));
  }
  return out;
}

export class Chart {
  constructor(canvas) { this.canvas = canvas; }

  /** Draws `layers` ({color, xs, ys, style: line|dashed|dots|squares, alpha, width}) with optional log y. */
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
      if (L.style === 'dots' || L.style === 'squares') {
        for (let i = 0; i < L.xs.length; i++) {
          const y = L.ys[i];
          if (y == null || !isFinite(y) || (log && y <= 0)) continue;
          if (L.style === 'squares') { ctx.fillRect(X(L.xs[i]) - 3, Y(y) - 3, 6, 6); continue; }
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
