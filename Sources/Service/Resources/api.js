// The HTTP API client: JSON calls with the bearer token, the server's {error: {code, message, field}} as
// ApiError, the 401 banner, the token box in the header and the health pill.
import {$} from './dom.js';

export class ApiError extends Error {
  constructor(status, code, message, field, retryAfter) {
    super(message);
    Object.assign(this, {status, code, field, retryAfter});
  }
}

const TOKEN_KEY = 'mnistd.token';

/** Calls the API (relative URLs, so the page also works behind a path prefix); returns parsed JSON or throws ApiError. */
export async function api(method, path, body) {
  const headers = {Accept: 'application/json'};
  const init = {method, headers};
  if (body !== undefined) { headers['Content-Type'] = 'application/json'; init.body = JSON.stringify(body); }
  const token = localStorage.getItem(TOKEN_KEY);
  if (token && method !== 'GET') headers.Authorization = 'Bearer ' + token;
  let res;
  try { res = await fetch(path, init); } catch (e) {
    throw new ApiError(0, 'network', 'Cannot reach the server (' + e.message + ')');
  }
  const text = await res.text();
  let data = null;
  if (text) { try { data = JSON.parse(text); } catch (_) { data = null; } }
  if (res.status === 401) showAuthProblem(data);
  else if (res.ok && method !== 'GET') $('#auth-banner').hidden = true;
  if (!res.ok) {
    const e = (data && data.error) || {};
    throw new ApiError(res.status, e.code || 'http_' + res.status, e.message || res.statusText || 'HTTP ' + res.status,
      e.field, res.headers.get('Retry-After'));
  }
  return data;
}

function showAuthProblem(data) {
  const banner = $('#auth-banner');
  const has = !!localStorage.getItem(TOKEN_KEY);
  const detail = data && data.error && data.error.message ? ' (' + data.error.message + ')' : '';
  banner.textContent = '401 Unauthorized' + detail + ': ' + (has
    ? 'the API token in the header was rejected. Check it and try again.'
    : 'this server requires an API token for changes. Enter it in “API token” at the top and try again.');
  banner.hidden = false;
  const input = $('#token');
  input.classList.add('invalid');
  input.setAttribute('aria-invalid', 'true');
  input.focus();
}

/** Lists from tolerant shapes: a bare array or {jobs|models|items: [...]}. */
export const listOf = (data, key) => Array.isArray(data) ? data : (data && (data[key] || data.items)) || [];
export const modelId = (m) => m.id || m.model_id;

export function setupToken() {
  const input = $('#token');
  input.form.addEventListener('submit', (ev) => ev.preventDefault());
  input.value = localStorage.getItem(TOKEN_KEY) || '';
  input.addEventListener('input', () => {
    const v = input.value.trim();
    if (v) localStorage.setItem(TOKEN_KEY, v); else localStorage.removeItem(TOKEN_KEY);
    input.classList.remove('invalid');
    input.removeAttribute('aria-invalid');
  });
}

export async function refreshHealth() {
  const pill = $('#health');
  try {
    const res = await fetch('healthz', {headers: {Accept: 'application/json'}});
    const data = await res.json().catch(() => ({}));
    if (res.ok) { pill.textContent = 'healthy'; pill.className = 'pill ok'; }
    else {
      const reason = data.reason || (data.error && data.error.message) || data.status || res.status;
      pill.textContent = 'unavailable: ' + reason; pill.className = 'pill bad';
    }
  } catch (_) { pill.textContent = 'server unreachable'; pill.className = 'pill bad'; }
}
