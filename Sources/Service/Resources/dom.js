// Small helpers every panel uses: element lookup and creation, number formatting, the toast and a bounded
// async pool. No state of its own.

export const $ = (sel, root = document) => root.querySelector(sel);
export const $$ = (sel, root = document) => Array.from(root.querySelectorAll(sel));
export const PALETTE = ['#2f6db5', '#e0752d', '#3a9a5b', '#c2413b', '#7b5ea7', '#8c6d3f', '#d4609f', '#5f6b77', '#a6a523', '#2aa3b5'];
export const TERMINAL = new Set(['succeeded', 'failed', 'cancelled']);

/** Creates an element: el('div', {class: 'x', text: 'hi'}, child, ...). */
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v == null || v === false) continue;
    if (k === 'text') node.textContent = v;
    else if (k === 'class') node.className = v;
    else if (k.startsWith('on')) node.addEventListener(k.slice(2), v);
    else node.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children) if (c != null) node.append(c);
  return node;
}

export const pct = (x, digits = 1) => (x == null || !isFinite(x)) ? '–' : (100 * x).toFixed(digits) + '%';
export const num = (x, digits = 3) => (x == null || !isFinite(x)) ? '–'
  : Math.abs(x) !== 0 && (Math.abs(x) < 1e-3 || Math.abs(x) >= 1e5) ? x.toExponential(1) : (+x.toFixed(digits)).toString();

export function duration(s) {
  if (s == null || !isFinite(s)) return '–';
  s = Math.max(0, Math.round(s));
  if (s < 60) return s + 's';
  if (s < 3600) return Math.floor(s / 60) + 'm ' + (s % 60) + 's';
  return Math.floor(s / 3600) + 'h ' + Math.floor((s % 3600) / 60) + 'm';
}

export function compact(n) {
  if (n == null || !isFinite(n)) return '–';
  if (Math.abs(n) >= 1e6) return (n / 1e6).toFixed(1).replace(/\.0$/, '') + 'M';
  if (Math.abs(n) >= 1e3) return (n / 1e3).toFixed(1).replace(/\.0$/, '') + 'k';
  return String(Math.round(n * 100) / 100);
}

let toastTimer = 0;
export function toast(message, kind = 'info') {
  const t = $('#toast');
  t.textContent = message;
  t.className = 'toast show ' + kind;
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => { t.className = 'toast'; }, 4000);
}

/** Runs `fn` over `items` with at most `limit` calls in flight. */
export async function pool(items, limit, fn) {
  let next = 0;
  const workers = Array.from({length: Math.min(limit, items.length)}, async () => {
    while (next < items.length) { const i = next++; await fn(items[i], i); }
  });
  await Promise.all(workers);
}
