// The console's calls to quiverd's /api/ (docs/console.md). Every POST carries the
// session's CSRF token; a 401 sends the page to the login form.

let csrf = "";

export class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

async function parse(response) {
  const type = response.headers.get("Content-Type") || "";
  const body = type.startsWith("application/json") ? await response.json() : await response.text();
  if (!response.ok) {
    const message = body && body.error ? body.error : `HTTP ${response.status}`;
    throw new ApiError(response.status, message);
  }
  return body;
}

export async function get(path, params = {}) {
  const query = new URLSearchParams(params).toString();
  const response = await fetch(query ? `${path}?${query}` : path, {
    credentials: "same-origin",
    headers: { Accept: "application/json" },
  });
  return parse(response);
}

export async function post(path, body) {
  const response = await fetch(path, {
    method: "POST",
    credentials: "same-origin",
    headers: { "Content-Type": "application/json", "X-Quiver-CSRF": csrf },
    body: JSON.stringify(body || {}),
  });
  const result = await parse(response);
  if (result && typeof result.csrf === "string") csrf = result.csrf;
  return result;
}

export async function session() {
  const result = await get("/api/session");
  csrf = result.csrf;
  return result;
}

export function downloadUrl(name, version, format) {
  return `/api/download?${new URLSearchParams({ name, version, format })}`;
}
