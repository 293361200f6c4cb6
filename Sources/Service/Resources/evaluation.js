// The test-image browser: a page of 12 test images with the selected model's predictions (right/wrong),
// paging, and one image's probabilities.
import {$, $$, el, pool} from './dom.js';
import {api, modelId} from './api.js';
import {models, onModelChange, probabilityBars} from './models.js';
import {paintDigit} from './draw.js';

export const PAGE = 12;
export const tests = {
  images: new Map(), predictions: new Map(), imageMissing: false, selected: null, seq: 0,
  start() { return Math.max(0, Math.min(9999, Math.floor(Number($('#test-index').value) || 0))); },
  async render() {
    const seq = ++this.seq;
    const start = this.start();
    const grid = $('#test-grid');
    const m = models.selected();
    const ds = models.dataset();
    const indices = Array.from({length: PAGE}, (_, k) => start + k);
    const cells = indices.map((i) => {
      const canvas = el('canvas', {width: 28, height: 28, 'aria-hidden': 'true'});
      const button = el('button', {type: 'button', class: 'test-cell', 'data-index': i}, canvas,
        el('span', {class: 'cap', text: '#' + i}));
      button.addEventListener('click', () => this.select(i));
      return el('li', {}, button);
    });
    grid.replaceChildren(...cells);
    await pool(indices, 4, async (i, k) => {
      const key = ds + ':' + i;
      if (!this.images.has(key) && !this.imageMissing) {
        try { this.images.set(key, await api('GET', `datasets/${encodeURIComponent(ds)}/test/${i}`)); } catch (e) {
          // A server without the endpoint: stop asking (each failed request is a console error too).
          if ([404, 405, 501].includes(e.status)) this.imageMissing = true;
        }
      }
      const pk = (m ? modelId(m) : '') + ':' + i;
      if (m && !this.predictions.has(pk)) {
        try {
          const res = await api('POST', `models/${encodeURIComponent(modelId(m))}/predict`, {test_index: i});
          this.predictions.set(pk, res.predictions[0]);
        } catch (_) { /* shown as "?" */ }
      }
      if (seq !== this.seq) return;
      this.paintCell(cells[k].firstChild, i, this.images.get(key), m ? this.predictions.get(pk) : null, !!m);
    });
    if (seq !== this.seq) return;
    if (this.imageMissing && !this.images.size) {
      $('#test-detail').replaceChildren(el('p', {class: 'hint', text: `This server has no GET /datasets/${ds}/test/{index}: images cannot be shown, predictions still can.`}));
    } else if (this.selected != null && indices.includes(this.selected)) this.select(this.selected);
  },
  paintCell(button, i, image, pred, hasModel) {
    if (image) paintDigit(button.firstChild, image.pixels);
    const truth = image ? image.label : null;
    const cap = button.lastChild;
    const guess = pred ? pred.label : null;
    const correct = guess != null && truth != null ? guess === truth : null;
    cap.textContent = `#${i} ` + (guess != null ? '→ ' + guess : hasModel ? '?' : '');
    button.classList.toggle('right', correct === true);
    button.classList.toggle('wrong', correct === false);
    button.setAttribute('aria-label', `Test image ${i}` + (truth != null ? `, label ${truth}` : '') +
      (guess != null ? `, predicted ${guess}` + (correct === false ? ' (wrong)' : '') : ''));
  },
  select(i) {
    this.selected = i;
    for (const b of $$('#test-grid .test-cell')) b.setAttribute('aria-pressed', String(Number(b.dataset.index) === i));
    const m = models.selected();
    const image = this.images.get(models.dataset() + ':' + i);
    const pred = m ? this.predictions.get(modelId(m) + ':' + i) : null;
    const canvas = el('canvas', {width: 28, height: 28, class: 'big-digit', role: 'img', 'aria-label': 'Test image ' + i});
    if (image) paintDigit(canvas, image.pixels);
    const lines = [el('strong', {text: 'Test image #' + i}),
      el('span', {text: 'label ' + (image ? image.label : '?') + ' · predicted ' + (pred ? pred.label : '?')})];
    $('#test-detail').replaceChildren(
      el('div', {class: 'detail-head'}, canvas, el('div', {class: 'detail-text'}, ...lines)),
      pred ? el('div', {class: 'bars'}, ...probabilityBars(pred.probabilities, image ? image.label : null)) : '');
  },
};

export function setupTests() {
  const input = $('#test-index');
  const go = (v) => { input.value = Math.max(0, Math.min(10000 - PAGE, v)); tests.render(); };
  $('#tests-prev').addEventListener('click', () => go(tests.start() - PAGE));
  $('#tests-next').addEventListener('click', () => go(tests.start() + PAGE));
  $('#tests-random').addEventListener('click', () => go(Math.floor(Math.random() * (10000 - PAGE))));
  input.addEventListener('change', () => go(tests.start()));
  $('#model-select').addEventListener('change', onModelChange);
}
