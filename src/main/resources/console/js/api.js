// The one way the console talks to Ferry: the QStash API (/v2/...) and the console's own /ferry/v1/..., with the
// tenant's token in the Authorization header. The token lives in sessionStorage: it is gone when the tab closes,
// it is never put in a URL (so never in a log, a history entry or a Referer) and no cookie carries it.

const KEY = 'ferry.console.token';

export const session = {
  get token() { return sessionStorage.getItem(KEY); },
  set token(value) { sessionStorage.setItem(KEY, value); },
  clear() { sessionStorage.removeItem(KEY); },
};

export class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

/** Query string from an object; empty values are left out, arrays repeat the parameter. */
export function queryString(query) {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query ?? {})) {
    if (value === undefined || value === null || value === '') continue;
    for (const v of [value].flat()) params.append(name, String(v));
  }
  const s = params.toString();
  return s ? `?${s}` : '';
}

/**
 * Calls Ferry; resolves with the parsed JSON (or text, or null), rejects with an ApiError carrying the API's
 * {"error"} message. A 401 signs the page out (except for the sign-in's own check of the token).
 */
export async function api(method, path, { query, json, body, headers, signIn = false } = {}) {
  const init = {
    method,
    headers: { Authorization: `Bearer ${session.token ?? ''}`, ...headers },
    cache: 'no-store',
    credentials: 'omit',
    redirect: 'error',
  };
  if (json !== undefined) {
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(json);
  } else if (body !== undefined) {
    init.body = body;
  }
  let response;
  try {
    response = await fetch(path + queryString(query), init);
  } catch (e) {
    throw new ApiError(0, `Ferry did not answer (${e.message})`);
  }
  const text = await response.text();
  let data = null;
  if (text) {
    try { data = JSON.parse(text); } catch { data = text; }
  }
  if (response.status === 401 && !signIn) {
    session.clear();
    window.dispatchEvent(new CustomEvent('ferry:signed-out', { detail: data?.error }));
  }
  if (!response.ok) {
    throw new ApiError(response.status, (data && data.error) || `HTTP ${response.status}`);
  }
  return data;
}

export const get = (path, query) => api('GET', path, { query });
