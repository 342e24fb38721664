// "Watch me": the camera coach follows the exercise and counts for the person (docs/coach.md,
// "Live during a session"). Pictures go one at a time, small (320 pixels), to this page's own
// server, which measures each and drops it; the next is taken only when the answer is back, so
// a slow server lowers the rate instead of building a queue. What the coach counts comes back
// as the session's answer, exactly as a tap's would. Once the coach has counted a repetition
// of this exercise and side, the session is told (a "watch" event): its movements then wait
// for the count, so the reps follow the person, not a timer; stopping goes back to it.

import { say } from "./speech.js";
import { drawWatch } from "./view.js";

const FRAME_MS = 1000 / 15; // at most 15 pictures a second
const SIDE = 320; // longest side of a picture sent, in pixels
const QUALITY = 0.7;

const $ = (id) => document.getElementById(id);
const csrfToken = () =>
  document.querySelector('meta[name="csrf-token"]')?.getAttribute("content") ?? "";
/** The tab's player id (api.js keeps it under this key), so the server knows it is this tab. */
const playerId = () => sessionStorage.getItem("backcoach.player") || "api";

let info = null; // GET /api/camera: {available, exercises}
let view = null; // the latest session view
let onStep = () => undefined;
let sendEvent = () => undefined;
let told = null; // the "watch" value last sent and not yet seen in a view
let following = false; // the coach counts the person in this exercise and side
let stream = null;
let running = false; // pictures are being sent
let sessionId = null;
let canvas = null;

function headers(extra = {}) {
  return { "X-CSRF-Token": csrfToken(), "X-Backcoach-Player": playerId(), ...extra };
}

function followable(v) {
  return Boolean(
    info?.available && v && !v.finished && v.exercise && info.exercises.includes(v.exercise.id),
  );
}

/** Start: ask what the server can follow; ``apply`` shows a step the coach's count caused,
 *  ``send`` sends the session an event (in order with the page's own). */
export async function setupCamera({ apply, send }) {
  onStep = apply;
  sendEvent = send;
  $("p-watch-toggle").addEventListener("click", () => (stream ? stop("") : start()));
  document.addEventListener("visibilitychange", () => {
    if (document.hidden && stream) stop("Stopped watching: the page was hidden.");
  });
  window.addEventListener("pagehide", () => stream && stop(""));
  try {
    const response = await fetch("/api/camera", {
      headers: { Accept: "application/json" },
      credentials: "same-origin",
      cache: "no-store",
    });
    info = response.ok ? await response.json() : null;
  } catch {
    info = null;
  }
  if (view) updateCamera(view);
}

/** A new view from the session: offer "Watch me" for an exercise the coach can follow; stop
 *  watching when paused, finished, or on to an exercise it cannot follow. */
export function updateCamera(next) {
  view = next;
  const offered = followable(view) && (view.stage === "exercise" || view.stage === "check-in");
  if (stream) {
    if (!followable(view)) return stop("Stopped watching: the camera cannot follow this exercise.");
    if (view.paused) return stop("Stopped watching while paused.");
  }
  drawWatch({ offered: offered || Boolean(stream), on: Boolean(stream) });
  tellSession();
}

/** Keep the session told whether the camera watches (after a reload or a hand-over it may
 *  think so wrongly): once per change, never in a loop. */
function tellSession() {
  if (!view || view.finished || !view.actions.includes("watch")) return;
  const watching = Boolean(stream) && following;
  if (view.watched === watching) {
    told = null;
    return;
  }
  if (told === watching) return;
  told = watching;
  sendEvent({ type: "watch", on: watching });
}

/** Why the camera cannot be used over this connection, and the way to a secure one: the
 *  https:// link `serve --lan` shows; a clinic's page names no command (the page says so). */
export function insecureMessage(clinic) {
  const way = clinic
    ? "Open this page from its https:// address instead."
    : "On a phone, open the https:// link that `backcoach serve --lan` shows.";
  return (
    "This browser lets a page use the camera only on the computer running backcoach or " +
    `over a secure connection, so it cannot watch here. ${way}`
  );
}

async function start() {
  if (!navigator.mediaDevices?.getUserMedia) {
    const clinic = $("p-watch").hasAttribute("data-clinic");
    drawWatch({ offered: true, on: false, status: insecureMessage(clinic) });
    return;
  }
  try {
    stream = await navigator.mediaDevices.getUserMedia({
      audio: false,
      video: { facingMode: $("p-watch-facing").value, width: { ideal: 640 }, height: { ideal: 480 } },
    });
  } catch {
    stream = null;
    drawWatch({
      offered: true,
      on: false,
      status: "The camera could not be used (it was not allowed, or is in use elsewhere).",
    });
    return;
  }
  const video = $("p-watch-video");
  video.srcObject = stream;
  video.play().catch(() => undefined);
  sessionId = view.session_id;
  drawWatch({ offered: true, on: true, status: "Starting the camera…" });
  running = true;
  loop();
}

function stop(reason) {
  running = false;
  following = false;
  if (stream) for (const track of stream.getTracks()) track.stop();
  stream = null;
  $("p-watch-video").srcObject = null;
  if (sessionId !== null) {
    fetch(`/api/sessions/${sessionId}/camera`, {
      method: "DELETE",
      headers: headers(),
      credentials: "same-origin",
      keepalive: true,
    }).catch(() => undefined);
  }
  sessionId = null;
  drawWatch({ offered: followable(view), on: false, status: reason });
  tellSession(); // back to the timer
}

/** One picture from the preview, ``SIDE`` pixels on its longer side, as a JPEG. */
function picture(video) {
  const scale = SIDE / Math.max(video.videoWidth, video.videoHeight);
  canvas ??= document.createElement("canvas");
  canvas.width = Math.round(video.videoWidth * scale);
  canvas.height = Math.round(video.videoHeight * scale);
  canvas.getContext("2d").drawImage(video, 0, 0, canvas.width, canvas.height);
  return new Promise((resolve) => canvas.toBlob(resolve, "image/jpeg", QUALITY));
}

const wait = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function loop() {
  const video = $("p-watch-video");
  while (running) {
    const began = performance.now();
    if (!video.videoWidth || view?.stage !== "exercise") {
      await wait(FRAME_MS);
      continue;
    }
    const blob = await picture(video);
    if (!running || !blob) continue;
    const t = (performance.now() / 1000).toFixed(3);
    let answer = null;
    try {
      const response = await fetch(`/api/sessions/${sessionId}/camera/frames?t=${t}`, {
        method: "POST",
        headers: headers({ "Content-Type": "image/jpeg", Accept: "application/json" }),
        body: blob,
        credentials: "same-origin",
        cache: "no-store",
      });
      answer = await response.json().catch(() => null);
      if (!response.ok) {
        const detail = answer?.detail ?? {};
        if (response.status === 501) info = { available: false, exercises: [] };
        return stop(`Stopped watching: ${detail.message ?? `HTTP ${response.status}`}.`);
      }
    } catch {
      await wait(1000); // no connection: the session's own requests say so; try again soon
      continue;
    }
    if (!running) return;
    show(answer);
    await wait(Math.max(0, FRAME_MS - (performance.now() - began)));
  }
}

function show(answer) {
  drawWatch({ offered: true, on: true, status: answer.message });
  // The session waits for the count only once the coach has counted here (this exercise and
  // side): until then, or when it finds this is not the exercise, the timer leads.
  const was = following;
  if (answer.watching) following = answer.reps > 0 && answer.verified !== false;
  if (following !== was && !answer.step) tellSession();
  if (answer.cue) say([answer.cue]);
  if (answer.step) onStep(answer.step);
}
