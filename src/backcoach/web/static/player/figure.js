// The figure in step with the session (issue 16): the exercise's animated SVG is loaded into
// the page (same origin; the CSP allows no <object>), its own clock is stopped, and each frame
// sets its time from the session's phase and how far into it the session is. The SVG says
// where each part of its cycle lies (data-out-seconds, data-hold-seconds, data-back-seconds:
// body/animation.py); the view says how the figure moves now (figure_motion, phase_elapsed,
// phase_seconds: docs/web-api.md, "The figure"). Paused: the figure stands still. Reduced
// motion: the still key pose of the phase. The other side: the picture mirrored.

const $ = (id) => document.getElementById(id);
const reduced = window.matchMedia("(prefers-reduced-motion: reduce)");

let shownUrl = null; // the animation in the box (or being fetched)
let svg = null; // its root, once loaded
let parts = null; // {out, hold, back, cycle} seconds of the SVG's cycle
let view = null;
let anchor = 0; // performance.now() when view.phase_elapsed was true

const clamp01 = (x) => Math.min(1, Math.max(0, x));

/** A new view from the session: load the exercise's figure if it changed, and follow. */
export function updateFigure(next) {
  view = next;
  anchor = performance.now();
  const box = $("p-figure");
  const url = view.exercise ? view.exercise.animation_url : null;
  box.hidden = !url;
  if (url && url !== shownUrl) load(box, url, view.exercise.name);
  place();
}

async function load(box, url, name) {
  shownUrl = url;
  svg = parts = null;
  box.replaceChildren();
  box.setAttribute("aria-label", `A moving picture of ${name}, in step with the session`);
  let text;
  try {
    const response = await fetch(url, { credentials: "same-origin" });
    if (!response.ok) throw new Error(String(response.status));
    text = await response.text();
  } catch {
    shownUrl = null; // tried again with the next view
    return;
  }
  if (shownUrl !== url) return; // another exercise came meanwhile
  const parsed = new DOMParser().parseFromString(text, "image/svg+xml");
  const root = parsed.documentElement;
  if (root.nodeName !== "svg" || parsed.querySelector("parsererror")) return;
  const node = document.importNode(root, true);
  node.setAttribute("width", "100%");
  node.setAttribute("height", "100%");
  node.setAttribute("aria-hidden", "true");
  node.setAttribute("focusable", "false");
  box.replaceChildren(node);
  svg = node;
  const seconds = (key) => Number.parseFloat(node.dataset[key] ?? "");
  const cycle = seconds("cycleSeconds");
  if (Number.isFinite(cycle) && typeof node.pauseAnimations === "function") {
    node.pauseAnimations();
    const out = seconds("outSeconds");
    const hold = seconds("holdSeconds");
    const back = seconds("backSeconds");
    // An SVG without its parts (an older drawing): out and back each a little under half.
    parts = Number.isFinite(out + hold + back)
      ? { out, hold, back, cycle }
      : { out: cycle * 0.45, hold: 0, back: cycle * 0.45, cycle };
  }
  place();
}

/** Session seconds into the running phase now: standing still while paused. */
function elapsed() {
  if (view.phase_elapsed === null) return 0;
  if (view.paused || view.question) return view.phase_elapsed;
  return view.phase_elapsed + ((performance.now() - anchor) / 1000) * view.clock_speed;
}

/** The breath now and how far into it (0-1), from the view's pacer. */
function breathNow() {
  const b = view.breathing;
  if (!b) return null;
  const length = b.cycle.reduce((sum, x) => sum + x.seconds, 0);
  let into = (elapsed() - Math.floor(elapsed() / length) * length) || 0;
  for (const [i, x] of b.cycle.entries()) {
    if (into < x.seconds || i === b.cycle.length - 1) return { kind: x.breath, f: into / x.seconds };
    into -= x.seconds;
  }
  return null;
}

/** The time in the SVG's cycle that shows the session now. */
export function figureTime(motion, e, length, p, still) {
  const end = p.out + p.hold / 2; // the middle of the hold: the last key pose
  const along = (d) => (length ? clamp01(e / length) : clamp01(e / d));
  switch (motion) {
    case "out":
      return still ? end : p.out * along(p.out);
    case "hold":
      return end;
    case "back":
      return still ? 0 : p.out + p.hold + p.back * along(p.back);
    case "out-back": {
      const f = along(p.out + p.back);
      if (still) return f < 0.5 ? end : 0;
      return f < 0.5 ? p.out * f * 2 : p.out + p.hold + p.back * (f - 0.5) * 2;
    }
    case "loop":
      return still ? end : e % p.cycle;
    default:
      return 0;
  }
}

function place() {
  if (!svg || !parts || !view) return;
  const still = reduced.matches;
  let t;
  if (view.figure_motion === "breath") {
    const b = breathNow();
    const end = parts.out + parts.hold / 2;
    if (!b) t = 0;
    else if (b.kind === "in") t = still ? end : parts.out * clamp01(b.f);
    else if (b.kind === "hold") t = end;
    else t = still ? 0 : parts.out + parts.hold + parts.back * clamp01(b.f);
  } else {
    t = figureTime(view.figure_motion, elapsed(), view.phase_seconds, parts, still);
  }
  if (Math.abs(svg.getCurrentTime() - t) > 1e-3) svg.setCurrentTime(t);
  const side = svg.dataset.movingSide;
  svg.classList.toggle("is-mirrored", Boolean(view.side && side && view.side !== side));
}

function loop() {
  place();
  requestAnimationFrame(loop);
}
requestAnimationFrame(loop);
