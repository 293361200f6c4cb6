// The evaluation of the selected model (GET /models/{id}/evaluation): accuracy and loss, the confusion matrix
// as a heatmap (click a cell for the test images behind it) and a gallery of the most confident mistakes.
import {$, el, pct, num, pool} from './dom.js';
import {api, modelId} from './api.js';
import {models} from './models.js';
import {tests} from './evaluation.js';
import {paintDigit} from './draw.js';

export const CELL_LIMIT = 60;
export const MISTAKES = 24;

export const confusionView = {
  data: null, seq: 0, cellSeq: 0,
  async render() {
    const seq = ++this.seq;
    this.data = null;
    const m = models.selected();
    $('#eval-cell').replaceChildren();
    $('#eval-mistakes').replaceChildren();
    $('#eval-confusion').replaceChildren();
    const status = $('#eval-status');
    if (!m) { status.textContent = 'Train or import a model to see its evaluation.'; return; }
    status.textContent = 'Scoring the model on its test set…';
    let data;
    try {
      data = await api('GET', `models/${encodeURIComponent(modelId(m))}/evaluation?split=test&limit=${MISTAKES}`);
    } catch (e) {
      if (seq === this.seq) status.textContent = 'No evaluation: ' + e.message;
      return;
    }
    if (seq !== this.seq) return;
    this.data = data;
    status.textContent = `accuracy ${pct(data.accuracy, 2)} · loss ${num(data.loss, 4)} · `
      + `${data.misclassified_count} mistakes in ${data.count} test images`;
    this.paintMatrix();
    this.showMistakes(seq);
  },
  // 10×10 buttons coloured by count (blue on the diagonal, red off it), scaled to the largest count or, when
  // row-normalised, to the row's total; a square root lets the few mistakes of a good model show.
  paintMatrix() {
    const data = this.data;
    if (!data) return;
    const perRow = $('#eval-normalise').checked;
    const rows = data.confusion;
    const max = Math.max(1, ...rows.flat());
    const head = el('tr', {}, el('th', {scope: 'col', class: 'corner', text: 'true ↓ / predicted →'}),
      ...rows.map((_, p) => el('th', {scope: 'col', text: String(p)})), el('th', {scope: 'col', text: 'recall'}));
    const body = rows.map((row, label) => {
      const total = row.reduce((a, b) => a + b, 0);
      const cells = row.map((count, predicted) => {
        const share = perRow ? count / Math.max(1, total) : count / max;
        const alpha = count ? Math.sqrt(share) : 0;
        const hue = label === predicted ? '47, 109, 181' : '179, 38, 30';
        const button = el('button', {type: 'button', class: 'cm-cell', text: String(count),
          'data-label': label, 'data-predicted': predicted, 'data-count': count,
          'aria-label': `true ${label}, predicted ${predicted}: ${count} images`,
          style: `background: rgba(${hue}, ${alpha.toFixed(3)}); color: ${alpha > 0.55 ? '#fff' : 'inherit'}`});
        button.addEventListener('click', () => this.showCell(label, predicted));
        return el('td', {}, button);
      });
      const recall = data.per_class[label].recall;
      return el('tr', {}, el('th', {scope: 'row', text: String(label)}), ...cells,
        el('td', {class: 'cm-score', text: recall == null ? '–' : pct(recall)}));
    });
    const precision = el('tr', {}, el('th', {scope: 'row', text: 'precision'}),
      ...data.per_class.map((c) => el('td', {class: 'cm-score', text: c.precision == null ? '–' : pct(c.precision)})),
      el('td', {}));
    $('#eval-confusion').replaceChildren(
      el('caption', {class: 'hint', text: perRow ? 'Colour: share of the row (true label)' : 'Colour: count'}),
      el('thead', {}, head), el('tbody', {}, ...body, precision));
  },
  async showCell(label, predicted) {
    const m = models.selected();
    if (!m) return;
    const seq = ++this.cellSeq;
    const box = $('#eval-cell');
    box.replaceChildren(el('p', {class: 'hint', text: `Loading the images of true ${label}, predicted ${predicted}…`}));
    let cell;
    try {
      cell = await api('GET', `models/${encodeURIComponent(modelId(m))}/evaluation/cell?label=${label}`
        + `&predicted=${predicted}&limit=${CELL_LIMIT}`);
    } catch (e) {
      if (seq === this.cellSeq) box.replaceChildren(el('p', {class: 'hint', text: 'Cannot list the cell: ' + e.message}));
      return;
    }
    if (seq !== this.cellSeq) return;
    const shown = cell.indices.length;
    const title = `True ${label}, predicted ${predicted}: ${cell.count} image${cell.count === 1 ? '' : 's'}`
      + (shown < cell.count ? ` (the first ${shown})` : '');
    const thumbs = cell.indices.map((i) => thumb(i, '#' + i));
    box.replaceChildren(el('h3', {text: title}), el('ul', {class: 'eval-thumbs', 'aria-label': title}, ...thumbs));
    await paintAll(cell.indices, thumbs, () => seq === this.cellSeq);
  },
  async showMistakes(seq) {
    const list = this.data.misclassified;
    const items = list.map((x) => thumb(x.index, `${x.label} → ${x.predicted} · ${pct(x.confidence)}`,
      `Test image ${x.index}: label ${x.label}, predicted ${x.predicted} with confidence ${pct(x.confidence)}`));
    $('#eval-mistakes').replaceChildren(...(items.length ? items
      : [el('li', {class: 'hint', text: 'No mistakes on the test set.'})]));
    await paintAll(list.map((x) => x.index), items, () => seq === this.seq);
  },
};

/** A list item with a 28×28 canvas and a caption. */
function thumb(index, caption, label) {
  const canvas = el('canvas', {width: 28, height: 28, role: 'img', 'aria-label': label || 'Test image ' + index});
  return el('li', {class: 'eval-thumb', 'data-index': index}, canvas, el('span', {class: 'cap', text: caption}));
}

/** Paints each item's test image (GET /datasets/{name}/test/{index}, cached with the test browser's). */
async function paintAll(indices, items, current) {
  const ds = models.dataset();
  await pool(indices, 6, async (i, k) => {
    const key = ds + ':' + i;
    if (!tests.images.has(key)) {
      try { tests.images.set(key, await api('GET', `datasets/${encodeURIComponent(ds)}/test/${i}`)); } catch (_) { return; }
    }
    if (!current()) return;
    paintDigit(items[k].firstChild, tests.images.get(key).pixels);
    items[k].dataset.painted = 'true';
  });
}

export function setupConfusion() {
  $('#eval-normalise').addEventListener('change', () => confusionView.paintMatrix());
}
