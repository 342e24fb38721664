// Talking to the live-session API (docs/web-api.md). Requests go one at a time, in order, so
// the server always sees the person's taps in the order they made them.

const csrfToken = () =>
  document.querySelector('meta[name="csrf-token"]')?.getAttribute("content") ?? "";

export class ApiProblem extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

async function request(method, path, body, options = {}) {
  const headers = { Accept: "application/json" };
  if (method !== "GET") {
    headers["X-CSRF-Token"] = csrfToken();
    headers["Content-Type"] = "application/json";
  }
  let response;
  try {
    response = await fetch(path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: "same-origin",
      cache: "no-store",
      ...options,
    });
  } catch {
    throw new ApiProblem(0, "offline", "The app on your computer did not answer. Is it still running?");
  }
  const data = await response.json().catch(() => null);
  if (!response.ok) {
    const detail = data?.detail ?? {};
    const message = typeof detail === "string" ? detail : detail.message;
    throw new ApiProblem(response.status, detail.code ?? "error", message ?? `HTTP ${response.status}`);
  }
  return data;
}

let queue = Promise.resolve();

/** Run requests one after another; each caller gets its own result or error. */
function inOrder(task) {
  const run = queue.then(task, task);
  queue = run.catch(() => undefined);
  return run;
}

export const api = {
  current: () => inOrder(() => request("GET", "/api/sessions/current")),
  before: () => inOrder(() => request("GET", "/api/sessions/before")),
  start: (body) => inOrder(() => request("POST", "/api/sessions", body)),
  nextDay: (answers) => inOrder(() => request("POST", "/api/next-day", { answers })),
  send: (sessionId, event) =>
    inOrder(() => request("POST", `/api/sessions/${sessionId}/events`, event)),
  /** Fire and forget while the page goes away (a reload, a closed tab): pause the timer. */
  pauseOnLeave(sessionId) {
    fetch(`/api/sessions/${sessionId}/events`, {
      method: "POST",
      keepalive: true,
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRF-Token": csrfToken() },
      body: JSON.stringify({ type: "pause" }),
    }).catch(() => undefined);
  },
};
