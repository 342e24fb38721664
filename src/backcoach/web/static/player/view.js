// Drawing the live-session view. Only this module (and figure.js, for the figure) touches the
// page's elements; main.js decides what to draw and when.

import { updateFigure } from "./figure.js";

const $ = (id) => document.getElementById(id);
const PANELS = ["p-loading", "p-problem", "p-before", "p-live", "p-question", "p-notice", "p-finished"];

const BREATH_WORDS = { in: "Breathe in", hold: "Hold", out: "Breathe out" };
const NBSP = "\u00a0";
const LONG_CUE = 90; // characters: longer cues get smaller type to fit the same box
const LONGER_CUE = 150; // a get-ready cue with a tempo and the person's version

let shownPanel = null;

export function showPanel(id) {
  for (const panel of PANELS) $(panel).hidden = panel !== id;
  const before = shownPanel;
  shownPanel = id;
  if (before === null || before === id) return;
  // The button just used may have gone with its panel: carry the keyboard focus (and a screen
  // reader) to the new panel's heading, so Tab goes on from there, not from the page's top.
  const active = document.activeElement;
  if (active && active !== document.body && !active.closest("[hidden]")) return;
  const target = $(id).querySelector("h1") || $(id);
  if (!target.hasAttribute("tabindex")) target.setAttribute("tabindex", "-1");
  target.focus({ preventScroll: true });
}

/** Cues are spoken sentences; a few from exercise files begin in lower case. */
function sentence(text) {
  return text ? text[0].toUpperCase() + text.slice(1) : text;
}

function setText(id, text) {
  const el = $(id);
  const value = text || NBSP;
  if (el.textContent !== value) el.textContent = value;
}

function paragraphs(id, text) {
  const el = $(id);
  el.replaceChildren(
    ...String(text || "")
      .split("\n")
      .filter((line) => line.trim())
      .map((line) => Object.assign(document.createElement("p"), { textContent: line })),
  );
}

/** A fault offers "Try again" (or ``action``, such as "Continue here"); advice
 *  (``retry: false``) leads back to today's page, which says what to do instead. */
export function showProblem(title, text, { retry = true, action = "Try again" } = {}) {
  setText("p-problem-title", title);
  paragraphs("p-problem-text", text);
  $("p-retry").hidden = !retry;
  $("p-retry").textContent = action;
  $("p-to-today").classList.toggle("button-primary", !retry);
  showPanel("p-problem");
}

export function where(view) {
  const parts = [];
  if (view.item_index !== null) parts.push(`Exercise ${view.item_index + 1} of ${view.items_total}`);
  if (view.set_number !== null && view.sets_target > 1) {
    parts.push(`Set ${view.set_number} of ${view.sets_target}`);
  }
  if (view.side) parts.push(`${view.side === "left" ? "Left" : "Right"} side`);
  return parts.join(" · ");
}

export function drawLive(view) {
  setText("p-where", where(view));
  setText("p-name", view.exercise ? view.exercise.name : "");
  $("p-bar").value = view.fraction_done;
  updateFigure(view); // the figure in step with the phase (figure.js)
  // The person's own version stays over the picture (of the usual version) in every phase.
  const version = $("p-version");
  version.hidden = !view.version;
  setText("p-version", view.version ? `Your version: ${view.version}` : "");
  if (view.version) version.title = view.picture_note || "";
  const paused = view.paused;
  setText("p-phase", paused ? "Paused" : view.phase_label || "");
  // Paused, or picked up after a reload: the seconds left stand still until Resume. Waiting
  // for the camera's count there is no countdown: the box says the pace is the person's.
  setCount(view.countdown, view.waiting_for_camera && !paused);
  setText("p-rep", view.rep !== null && view.reps_target ? `Rep ${view.rep} of ${view.reps_target}` : "");
  const cue = sentence(view.cue || view.instruction || "");
  setText("p-cue", cue);
  $("p-cue").classList.toggle("is-long", cue.length > LONG_CUE && cue.length <= LONGER_CUE);
  $("p-cue").classList.toggle("is-longer", cue.length > LONGER_CUE);
  setText("p-next", view.next_up ? `Next: ${view.next_up}` : "");
  const can = new Set(view.actions);
  // Hidden by visibility, not removed, so nothing below moves while the timer runs. Its words
  // say what a tap does in this phase: it ends the phase, never the ones after it.
  const tap = can.has("rep") && view.tap;
  $("p-tap").classList.toggle("is-off", !tap);
  $("p-tap").disabled = !tap;
  if (tap) setText("p-tap", view.tap);
  const pause = $("p-pause");
  pause.textContent = paused ? "Resume" : "Pause";
  pause.disabled = !(can.has("pause") || can.has("resume"));
  $("p-back").disabled = !can.has("back");
  $("p-skip").disabled = !can.has("skip");
  $("p-pain").disabled = !can.has("pain");
  $("p-end").disabled = !can.has("end");
  $("player").classList.toggle("is-paused", paused);
}

const OFFLINE_TEXT =
  "No connection \u2013 your last step is kept; it will be sent when you are back online.";

/** Say (or stop saying) that the connection is gone, above whatever the player shows. */
export function showOffline(on) {
  let note = $("p-offline");
  if (!note && on) {
    note = Object.assign(document.createElement("p"), {
      id: "p-offline",
      className: "alert alert-problem p-offline",
      textContent: OFFLINE_TEXT,
    });
    note.setAttribute("role", "status");
    $("player").prepend(note);
  }
  if (note) note.hidden = !on;
}

export const AT_YOUR_PACE = "At your pace";

/** The countdown box: the seconds left, or (``waiting`` for the camera's count, no seconds)
 *  "At your pace" in smaller letters, or nothing. */
export function setCount(seconds, waiting = false) {
  const pace = seconds === null && waiting;
  setText("p-count", seconds !== null ? String(seconds) : pace ? AT_YOUR_PACE : "");
  $("p-count").classList.toggle("is-pace", pace);
}

let announced = "";

/** Tell a screen reader (the p-announce live region) ``text``, once: at a phase change and in
 *  the countdown's last three seconds, never every second. */
export function announce(text) {
  if (!text || text === announced) return;
  announced = text;
  $("p-announce").textContent = text;
}

export function setBreath(kind, seconds) {
  const box = $("p-breath");
  box.classList.toggle("is-on", kind !== null);
  const ball = $("p-breath-ball");
  ball.classList.remove("in", "hold", "out");
  if (kind === null) {
    setText("p-breath-word", "");
    return;
  }
  ball.style.transitionDuration = `${seconds}s`; // CSSOM, which the CSP allows
  ball.classList.add(kind);
  setText("p-breath-word", BREATH_WORDS[kind]);
}

/** Draw a question. ``onScore(score, flags)``, ``onRate(value)`` send the answer. */
export function drawQuestion(question, { local, onScore, onRate }) {
  setText("q-prompt", question.prompt);
  const isPain = question.kind === "pain";
  $("q-pain").hidden = !isPain;
  $("q-rating").hidden = isPain;
  $("q-skip").hidden = local || !question.can_skip;
  $("q-cancel").hidden = !local;
  const send = $("q-send");
  if (isPain) {
    let chosen = null;
    const flags = {};
    const scores = question.scores.map((score) => {
      const button = Object.assign(document.createElement("button"), {
        type: "button",
        className: "q-score",
        textContent: String(score),
      });
      button.setAttribute("aria-pressed", "false");
      button.dataset.score = String(score);
      button.addEventListener("click", () => {
        if (!question.flags.length) return onScore(score, {});
        chosen = score;
        for (const other of scores) other.setAttribute("aria-pressed", String(other === button));
        send.disabled = false;
      });
      return button;
    });
    $("q-scores").replaceChildren(...scores);
    $("q-flags").replaceChildren(...question.flags.map((flag) => flagRow(flag, flags)));
    send.hidden = !question.flags.length;
    send.disabled = true;
    send.onclick = () => chosen !== null && onScore(chosen, { ...flags });
  } else {
    $("q-rating").replaceChildren(
      ...question.options.map((option) => {
        const button = Object.assign(document.createElement("button"), {
          type: "button",
          className: "button button-big q-option",
          textContent: option.label,
        });
        button.dataset.rating = option.value;
        button.addEventListener("click", () => onRate(option.value));
        return button;
      }),
    );
  }
  showPanel("p-question");
}

function flagRow(flag, answers) {
  answers[flag.name] = false;
  const row = document.createElement("fieldset");
  row.className = "q-flag";
  const legend = Object.assign(document.createElement("legend"), { textContent: flag.question });
  const choices = document.createElement("div");
  choices.className = "choices choices-two";
  for (const [value, text] of [["no", "No"], ["yes", "Yes"]]) {
    const label = document.createElement("label");
    label.className = "choice";
    const input = Object.assign(document.createElement("input"), {
      type: "radio",
      name: `flag-${flag.name}`,
      value,
      checked: value === "no",
    });
    input.addEventListener("change", () => {
      answers[flag.name] = value === "yes";
    });
    label.append(input, Object.assign(document.createElement("span"), { textContent: text }));
    choices.append(label);
  }
  row.append(legend, choices);
  return row;
}

/** The session's figures as the records give them (``/api/sessions/{id}/summary``: the same
 *  numbers history, progress and the report show). */
export function drawFigures(summary) {
  setText("f-figures", `${summary.sets_text}, ${summary.active_text} of exercise.`);
}

export function drawNotice(notice) {
  setText("n-title", notice.title);
  paragraphs("n-text", notice.text);
  showPanel("p-notice");
}

/** The end of a session. ``again``: opened afresh after today's session ended, so say so and
 *  offer another (``onAnother``) rather than start one unasked. */
export function drawFinished(view, names, { again = false, onAnother = null } = {}) {
  // (The figures come from the records: ``drawFigures``.)
  const s = view.summary;
  const name = (id) => names[id] || id.replaceAll("-", " ");
  // Praise only for work done: the server's ending says what happened, kindly.
  setText("f-title", view.ending ? view.ending.title : "Session ended");
  $("f-today").hidden = !again;
  $("f-another").hidden = !again;
  $("f-another").onclick = onAnother;
  if (s) {
    setText("f-sets", view.ending ? view.ending.text : "");
    const pain = [];
    if (s.pain_before !== null) pain.push(`${s.pain_before} before`);
    if (s.pain_after !== null) pain.push(`${s.pain_after} after`);
    setText("f-pain", pain.length ? `Your pain: ${pain.join(", ")} (out of 10).` : "");
    setText(
      "f-stopped",
      s.stopped.length ? `Stopped to look after your back: ${s.stopped.map(name).join(", ")}.` : "",
    );
  }
  showPanel("p-finished");
}

/** "Watch me": offered or not, on or off, and what the camera coach sees now (or why it
 *  stopped). ``status`` null leaves the line as it is. */
export function drawWatch({ offered, on, status = null }) {
  $("p-watch").hidden = !offered;
  const toggle = $("p-watch-toggle");
  toggle.setAttribute("aria-pressed", String(on));
  toggle.textContent = on ? "Stop watching" : "Watch me";
  toggle.classList.toggle("button-primary", on);
  $("p-watch-facing").disabled = on;
  $("p-watch-live").hidden = !on;
  if (status !== null) {
    setText("p-watch-status", status);
    $("p-watch-status").hidden = !status;
  }
}
