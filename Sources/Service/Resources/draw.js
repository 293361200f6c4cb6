// The drawing pad: pointer strokes on a 280×280 canvas, MNIST's preprocessing to 28×28 (crop, fit 20×20,
// centre by mass), the preview, and the prediction of the selected model.
import {$, pct} from './dom.js';
import {api, ApiError, modelId} from './api.js';
import {models, probabilityBars} from './models.js';

export const pad = {drawing: false, last: null, pixels: null, timer: 0, seq: 0};

export function showLabel(text) {
  $('#pred-label').textContent = text;
  $('#pred-label').classList.toggle('none', text === '–');
}

export function clearPad() {
  const ctx = $('#pad').getContext('2d');
  ctx.fillStyle = '#000';
  ctx.fillRect(0, 0, 280, 280);
  pad.pixels = null;
  $('#preview').getContext('2d').clearRect(0, 0, 28, 28);
  showLabel('–');
  $('#pred-note').textContent = 'Draw, then release';
  $('#pred-bars').replaceChildren();
}

export function setupPad() {
  const canvas = $('#pad');
  const ctx = canvas.getContext('2d');
  clearPad();
  const at = (ev) => {
    const r = canvas.getBoundingClientRect();
    return [(ev.clientX - r.left) * (canvas.width / r.width), (ev.clientY - r.top) * (canvas.height / r.height)];
  };
  const stroke = (from, to) => {
    ctx.strokeStyle = '#fff'; ctx.lineWidth = 18; ctx.lineCap = 'round'; ctx.lineJoin = 'round';
    ctx.beginPath(); ctx.moveTo(from[0], from[1]); ctx.lineTo(to[0], to[1]); ctx.stroke();
  };
  canvas.addEventListener('pointerdown', (ev) => {
    ev.preventDefault();
    canvas.setPointerCapture(ev.pointerId);
    pad.drawing = true;
    pad.last = at(ev);
    stroke(pad.last, pad.last);
    clearTimeout(pad.timer);
  });
  canvas.addEventListener('pointermove', (ev) => {
    if (!pad.drawing) return;
    const events = ev.getCoalescedEvents ? ev.getCoalescedEvents() : [ev];
    for (const e of (events.length ? events : [ev])) { const p = at(e); stroke(pad.last, p); pad.last = p; }
  });
  const end = () => {
    if (!pad.drawing) return;
    pad.drawing = false;
    updatePreview();
    clearTimeout(pad.timer);
    pad.timer = setTimeout(predictDrawing, 150);
  };
  canvas.addEventListener('pointerup', end);
  canvas.addEventListener('pointercancel', end);
  $('#clear-btn').addEventListener('click', clearPad);
  $('#predict-btn').addEventListener('click', () => { updatePreview(); predictDrawing(); });
}

/** Area-averaging resample of one axis: source pixel i covers [i·scale, (i+1)·scale) of the output. */
export function resampleAxis(src, srcLen, lines, scale, outLen, stride, lineStride, outStride, outLineStride) {
  const out = new Float32Array(lines * outLen);
  for (let l = 0; l < lines; l++) {
    for (let i = 0; i < srcLen; i++) {
      const v = src[l * lineStride + i * stride];
      if (!v) continue;
      const a = i * scale, b = (i + 1) * scale;
      for (let o = Math.floor(a); o < Math.min(outLen, Math.ceil(b)); o++) {
        const overlap = Math.min(b, o + 1) - Math.max(a, o);
        if (overlap > 0) out[l * outLineStride + o * outStride] += v * overlap;
      }
    }
  }
  return out;
}

/**
 * MNIST's preprocessing: crop to the ink's bounding box, scale it to fit 20×20 keeping the aspect ratio
 * (area averaging gives anti-aliased greys), then place it in 28×28 so its centre of mass is the centre.
 * Input: RGBA of a white-on-black drawing; output: 784 integers 0..255, row-major, or null when blank.
 */
export function preprocess(rgba, w, h) {
  let x0 = w, y0 = h, x1 = -1, y1 = -1;
  const grey = new Float32Array(w * h);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) {
    const v = rgba[4 * (y * w + x)];
    if (v > 0) { grey[y * w + x] = v; if (x < x0) x0 = x; if (x > x1) x1 = x; if (y < y0) y0 = y; if (y > y1) y1 = y; }
  }
  if (x1 < 0) return null;
  const bw = x1 - x0 + 1, bh = y1 - y0 + 1;
  const s = 20 / Math.max(bw, bh);
  const tw = Math.max(1, Math.round(bw * s)), th = Math.max(1, Math.round(bh * s));
  const crop = new Float32Array(bw * bh);
  for (let y = 0; y < bh; y++) for (let x = 0; x < bw; x++) crop[y * bw + x] = grey[(y + y0) * w + x + x0];
  // Rows first (bh lines of bw → tw), then columns (tw lines of bh → th).
  const rows = resampleAxis(crop, bw, bh, tw / bw, tw, 1, bw, 1, tw);
  const small = resampleAxis(rows, bh, tw, th / bh, th, tw, 1, tw, 1);
  let mass = 0, mx = 0, my = 0;
  for (let y = 0; y < th; y++) for (let x = 0; x < tw; x++) { const v = small[y * tw + x]; mass += v; mx += v * x; my += v * y; }
  const cx = mass ? mx / mass : (tw - 1) / 2, cy = mass ? my / mass : (th - 1) / 2;
  // MNIST's centres of mass (row/column index) lie within half a pixel of 14: checked against its test set.
  const ox = Math.max(0, Math.min(28 - tw, Math.round(14 - cx)));
  const oy = Math.max(0, Math.min(28 - th, Math.round(14 - cy)));
  const out = new Array(784).fill(0);
  for (let y = 0; y < th; y++) for (let x = 0; x < tw; x++) {
    out[(y + oy) * 28 + x + ox] = Math.max(0, Math.min(255, Math.round(small[y * tw + x])));
  }
  return out;
}

export function paintDigit(canvas, pixels) {
  const ctx = canvas.getContext('2d');
  const img = ctx.createImageData(28, 28);
  for (let i = 0; i < 784; i++) {
    const v = pixels[i];
    img.data[4 * i] = img.data[4 * i + 1] = img.data[4 * i + 2] = v;
    img.data[4 * i + 3] = 255;
  }
  ctx.putImageData(img, 0, 0);
}

export function updatePreview() {
  const data = $('#pad').getContext('2d').getImageData(0, 0, 280, 280).data;
  pad.pixels = preprocess(data, 280, 280);
  if (pad.pixels) paintDigit($('#preview'), pad.pixels);
}

export async function predictDrawing() {
  const note = $('#pred-note');
  if (!pad.pixels) { note.textContent = 'Draw a digit first'; return; }
  const m = models.selected();
  if (!m) { note.textContent = 'No model yet: train a job to get one'; return; }
  const seq = ++pad.seq;
  note.textContent = 'Predicting…';
  try {
    const res = await api('POST', `models/${encodeURIComponent(modelId(m))}/predict`, {pixels: pad.pixels});
    if (seq !== pad.seq) return;
    const p = res.predictions[0];
    showLabel(String(p.label));
    note.textContent = 'confidence ' + pct(p.probabilities[p.label]);
    $('#pred-bars').replaceChildren(...probabilityBars(p.probabilities));
  } catch (e) {
    if (seq === pad.seq) note.textContent = e instanceof ApiError ? `Prediction failed (${e.status}): ${e.message}` : String(e);
  }
}
