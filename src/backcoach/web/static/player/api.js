// Talking to the live-session API (docs/web-api.md). Requests go one at a time, in order, so
// the server always sees the person's taps in the order they made them. Each event carries an
// id made here; after a dropped connection it is sent again with the same id, and the server
// applies it once and answers the same. The tab names itself with a player id, so the server
// can tell this tab from another tab or a terminal running the same session.

const csrfToken = () =>
  document.querySelector('meta[name="csrf-token"]')?.getAttribute("content") ?? "";

const PLAYER_KEY = "backcoach.player";
const RESEND_DELAYS_MS = [300, 1000, 3000]; // quick resends through a blip, then "No connection"
const OFFLINE_RESEND_MS = 5000; // while offline: resend this often, and at once when back online

/** A random id (crypto.randomUUID needs a secure context; a paired phone on the LAN is not). */
export function newId() {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

/** This tab's player id: kept across reloads of the tab, different in another tab. */
function playerId() {
  let id = sessionStorage.getItem(PLAYER_KEY);
  if (!id) {
    id = `web-${newId()}`;
    sessionStorage.setItem(PLAYER_KEY, id);
  }
  return id;
}

export class ApiProblem extends Error {
  constructor(status, code, message, value = null) {
    super(message);
    this.status = status;
    this.code = code;
    this.value = value;
  }
}

const wait = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function request(method, path, body, options = {}) {
  const headers = { Accept: "application/json", "X-Backcoach-Player": playerId() };
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
    throw new ApiProblem(
      0,
      "offline",
      "No connection: backcoach did not answer. Check the connection (or that backcoach serve " +
        "is still running), then try again.",
    );
  }
  const data = await response.json().catch(() => null);
  if (!response.ok) {
    const detail = data?.detail ?? {};
    const message = typeof detail === "string" ? detail : detail.message;
    throw new ApiProblem(
      response.status,
      detail.code ?? "error",
      message ?? `HTTP ${response.status}`,
      detail.value ?? null,
    );
  }
  return data;
}

let connectionListener = () => undefined;

/** ``listener(false)`` when an event cannot be sent for lack of a connection (it is kept and
 *  resent), ``listener(true)`` when it got through after all. */
export function onConnection(listener) {
  connectionListener = listener;
}

/** Resolve when the browser says it is back online, or after ``ms``, whichever comes first. */
function backOnline(ms) {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      window.removeEventListener("online", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    window.addEventListener("online", done);
  });
}

/** Make a request, making it again while there is no connection (quick resends through a
 *  blip, then whenever the browser is back online): ``listener(false)`` once the person should
 *  be told, ``listener(true)`` when it got through after all. Only for requests that may be
 *  made twice: an event with its id, or a note that replaces the last. */
async function resending(attempt, listener) {
  let said = false; // the person was told there is no connection
  try {
    for (let tries = 0; ; tries += 1) {
      try {
        return await attempt();
      } catch (problem) {
        if (problem.status !== 0) throw problem;
        if (!said && (!navigator.onLine || tries >= RESEND_DELAYS_MS.length)) {
          said = true;
          listener(false);
        }
        await (said ? backOnline(OFFLINE_RESEND_MS) : wait(RESEND_DELAYS_MS[tries]));
      }
    }
  } finally {
    if (said) listener(true);
  }
}

/** Send an event, resending it with the same id until the connection is back: the server
 *  applies an id once and answers a resend with the answer it gave, so nothing applies twice. */
async function sendEvent(sessionId, event) {
  const body = { ...event, id: newId() };
  const path = `/api/sessions/${sessionId}/events`;
  return resending(() => request("POST", path, body), (on) => connectionListener(on));
}

/** The note after a finished session for the person's physiotherapist (clinic mode). A new
 *  note replaces the last, so while there is no connection it is kept and sent again, like an
 *  event; ``connected(false)`` while it waits, ``connected(true)`` once it got through. */
export function sendComment(sessionId, text, connected = () => undefined) {
  const path = `/api/sessions/${sessionId}/comment`;
  return resending(() => request("POST", path, { text }), connected);
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
  send: (sessionId, event) => inOrder(() => sendEvent(sessionId, event)),
  /** The session's figures from its records, as history, progress and the report show them. */
  summary: (sessionId) => inOrder(() => request("GET", `/api/sessions/${sessionId}/summary`)),
  takeOver: (sessionId) =>
    inOrder(() => request("POST", `/api/sessions/${sessionId}/take-over`, {})),
  /** Fire and forget while the page goes away (a reload, a closed tab): pause the timer. */
  pauseOnLeave(sessionId) {
    fetch(`/api/sessions/${sessionId}/events`, {
      method: "POST",
      keepalive: true,
      credentials: "same-origin",
      headers: {
        "Content-Type": "application/json",
        "X-CSRF-Token": csrfToken(),
        "X-Backcoach-Player": playerId(),
      },
      body: JSON.stringify({ type: "pause", id: newId() }),
    }).catch(() => undefined);
  },
};
