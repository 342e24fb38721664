// The session player: it shows and times what the server's live session says, speaks the
// cues, and reports what the person does. The sequence, the stop rules and the saving are the
// server's (docs/web-api.md, "How the page drives it").

import { api, onConnection } from "./api.js";
import { setupCamera, updateCamera } from "./camera.js";
import { offerComment } from "./comment.js";
import { say, setSpeechWanted, speechWanted } from "./speech.js";
import {
  announce,
  drawFigures,
  drawFinished,
  drawLive,
  drawNotice,
  drawQuestion,
  setBreath,
  setCount,
  showPanel,
  showOffline,
  showProblem,
} from "./view.js";
import { keepAwake } from "./wake.js";

const HEARTBEAT_MS = 5000; // the server pauses a session it has not heard from for 15 s
const FRAME_MS = 100;
const RETRY_TICK_MS = 20; // never tick in a tight loop if our clock ran ahead of the server
const FINISHED_KEY = "backcoach.finished-session";

const $ = (id) => document.getElementById(id);
const names = JSON.parse($("player").dataset.names || "{}");

let view = null; // the latest view from the server
let deadlineAt = null; // performance.now() when the running phase ends
let tickSent = false;
let breathing = null; // {startedAt, cycle, speed, index}
let lastContact = 0;
let reportingPain = false; // the person opened a pain report during an exercise
let endArmed = null; // "end session" needs a second tap
let deadlineTimer = null;
let offline = false; // an event waits for the connection: the clock stands, taps wait

// No connection: the step waiting is kept and resent (same id) when the connection is back;
// meanwhile the countdown stands still and nothing new is sent. Its answer then carries on.
onConnection((connected) => {
  offline = !connected;
  showOffline(offline);
  if (offline) {
    deadlineAt = null;
    clearTimeout(deadlineTimer);
  }
});

function apply(step) {
  view = step.view;
  lastContact = performance.now();
  if (view.exercise) names[view.exercise.id] = view.exercise.name;
  say(step.speak);
  tickSent = false;
  deadlineAt = null;
  if (view.real_seconds_left !== null && !view.paused && !view.question) {
    const leftMs = Math.max(view.real_seconds_left * 1000, RETRY_TICK_MS);
    deadlineAt = performance.now() + leftMs;
    // Also wake exactly at the deadline: on a sped-up clock phases are shorter than a frame.
    clearTimeout(deadlineTimer);
    deadlineTimer = setTimeout(frame, leftMs + 1);
  }
  breathing = null;
  if (view.breathing && !view.paused) {
    const speed = view.clock_speed;
    breathing = {
      startedAt: performance.now() - (view.breathing.elapsed_seconds / speed) * 1000,
      cycle: view.breathing.cycle,
      speed,
      index: null,
    };
  }
  render();
}

let phaseKey = null; // the phase shown, to tell a screen reader only when it changes

function render({ again = false } = {}) {
  if (view.notice) {
    questionShown = null;
    drawNotice(view.notice);
  } else if (view.finished) {
    sessionStorage.setItem(FINISHED_KEY, String(view.session_id));
    drawFinished(view, names, { again, onAnother: again ? startAnother : null });
    showFigures(view.session_id);
    offerComment(view.session_id);
  } else if (view.question) {
    reportingPain = false;
    showQuestion(view.question, false);
  } else if (reportingPain) {
    showQuestion(painReport(), true);
  } else {
    questionShown = null;
    drawLive(view);
    showPanel("p-live");
    const key = [view.item_index, view.phase, view.set_number, view.side, view.rep, view.paused].join("|");
    if (key !== phaseKey) {
      phaseKey = key;
      announce(view.paused ? "Paused" : view.announce);
    }
  }
  if (!breathing) setBreath(null, 0);
  updateCamera(view); // "Watch me": offered, kept on or stopped for what runs now
  frame();
  keepAwake(!view.finished).then((on) => {
    $("p-awake").hidden = !on;
  });
}

let questionShown = null; // the question on screen, so a heartbeat does not redraw it

/** Draw a question unless it is already on screen: redrawing would drop the score and the
 *  answers the person has picked but not yet sent (a heartbeat arrives every few seconds). */
function showQuestion(question, local) {
  const key = JSON.stringify([local, question]);
  if (key === questionShown && !$("p-question").hidden) return;
  questionShown = key;
  drawQuestion(question, { local, onScore: answerPain, onRate: answerRating });
}

let figuresShown = null;

/** The finished session's figures, from its records (once per session). */
async function showFigures(sessionId) {
  if (figuresShown === sessionId) return;
  figuresShown = sessionId;
  try {
    drawFigures(await api.summary(sessionId));
  } catch {
    figuresShown = null; // the words above still say how it ended; try again next time
  }
}

/** The pain question the person opens themselves mid-exercise: score and the three flags. */
function painReport() {
  return {
    kind: "pain",
    prompt: "How much pain do you have right now, from 0 to 10?",
    scores: [...Array(11).keys()],
    flags: [
      { name: "sharp", question: "Is the pain sharp or shooting?" },
      { name: "spreading", question: "Is pain spreading down your leg?" },
      { name: "numbness", question: "Any new numbness, tingling or weakness?" },
    ],
    can_skip: false,
  };
}

let retryAction = () => boot(); // what "Try again" (or "Continue here") does

async function send(event) {
  if (!view || offline) return;
  try {
    apply(await api.send(view.session_id, event));
  } catch (problem) {
    if (problem.code === "session-not-live") return boot();
    showTrouble(problem);
  }
}

/** Another tab, or a terminal, runs this session: say so, and offer to carry it on here. */
function showElsewhere(problem) {
  view = null; // this tab sends nothing more until the person chooses
  const sessionId = problem.value;
  retryAction = async () => {
    retryAction = () => boot();
    showPanel("p-loading");
    try {
      apply(await api.takeOver(sessionId));
    } catch (again) {
      showTrouble(again);
    }
  };
  showProblem("Running somewhere else", problem.message, { action: "Continue here" });
}

/** A refusal by the safety questions (or the pregnancy check) is advice, not a fault: no
 *  "try again", no timer, the screen may sleep. */
function showTrouble(problem) {
  if (problem.code === "session-elsewhere") return showElsewhere(problem);
  retryAction = () => boot();
  const advice = problem.code?.startsWith("plan-refused") || problem.code === "pregnancy-warning";
  if (advice) {
    view = null; // nothing runs on: no ticks, no pause on leaving
    keepAwake(false).then(() => {
      $("p-awake").hidden = true;
    });
    return showProblem("Not today", problem.message, { retry: false });
  }
  showProblem("Something got in the way", problem.message);
}

function answerPain(score, flags) {
  const resumeAfter = reportingPain;
  reportingPain = false;
  questionShown = null; // answered: whatever comes next is drawn afresh
  send({ type: "pain", score, ...flags, resume_after: resumeAfter });
}

function answerRating(rating) {
  questionShown = null;
  send({ type: "rate", rating });
}

// --- the clock: count down on our own clock, tick the server at each deadline ---------------

function frame() {
  if (!view || view.finished || offline) return;
  const now = performance.now();
  if (deadlineAt !== null) {
    const leftMs = deadlineAt - now;
    const left = Math.max(0, Math.ceil((leftMs / 1000) * view.clock_speed - 1e-6));
    // Waiting for the camera's count there is no countdown: the deadline is a safety timeout.
    if (view.countdown !== null) {
      setCount(left);
      if (left >= 1 && left <= 3 && !view.question && !view.notice) announce(String(left));
    }
    if (leftMs <= 0 && !tickSent) {
      tickSent = true;
      send({ type: "tick" });
      return;
    }
  }
  if (breathing) {
    const elapsed = ((now - breathing.startedAt) / 1000) * breathing.speed;
    const length = breathing.cycle.reduce((sum, b) => sum + b.seconds, 0);
    const round = Math.floor(elapsed / length);
    let into = elapsed - round * length;
    let position = 0;
    while (position < breathing.cycle.length - 1 && into >= breathing.cycle[position].seconds) {
      into -= breathing.cycle[position].seconds;
      position += 1;
    }
    const index = round * breathing.cycle.length + position;
    if (index !== breathing.index) {
      const first = breathing.index === null;
      breathing.index = index;
      const b = breathing.cycle[position];
      setBreath(b.breath, b.seconds / breathing.speed);
      // A new breath: tick so the server's spoken "breathe in / out" comes on time.
      if (!first && !tickSent) {
        tickSent = true;
        send({ type: "tick" });
        return;
      }
    }
  }
  if (now - lastContact > HEARTBEAT_MS && !tickSent) {
    tickSent = true;
    send({ type: "tick" });
  }
}

setInterval(frame, FRAME_MS);

// --- buttons -------------------------------------------------------------------------------

$("p-pause").addEventListener("click", () =>
  send({ type: view.actions.includes("resume") ? "resume" : "pause" }),
);
$("p-tap").addEventListener("click", () => send({ type: "rep" }));
$("p-back").addEventListener("click", () => send({ type: "back" }));
$("p-skip").addEventListener("click", () => send({ type: "skip" }));
$("q-skip").addEventListener("click", () => {
  questionShown = null;
  send({ type: "skip" });
});
$("n-ok").addEventListener("click", () => send({ type: "dismiss" }));
$("p-pain").addEventListener("click", async () => {
  reportingPain = true;
  if (view.actions.includes("pause")) await send({ type: "pause" });
  else render();
});
$("q-cancel").addEventListener("click", () => {
  reportingPain = false;
  if (view.paused) send({ type: "resume" });
  else render();
});
$("p-end").addEventListener("click", () => {
  const button = $("p-end");
  if (endArmed) {
    clearTimeout(endArmed);
    endArmed = null;
    button.textContent = "End session";
    send({ type: "end" });
    return;
  }
  button.textContent = "Tap again to end";
  endArmed = setTimeout(() => {
    endArmed = null;
    button.textContent = "End session";
  }, 4000);
});
$("p-speech").checked = speechWanted();
$("p-speech").addEventListener("change", (event) => setSpeechWanted(event.target.checked));
$("p-retry").addEventListener("click", () => retryAction());

// Leaving (a reload, a closed tab): pause, so the timer never runs on without the person.
window.addEventListener("pagehide", () => {
  if (view && !view.finished && view.actions.includes("pause")) api.pauseOnLeave(view.session_id);
});

// --- start: resume the running session, or ask what comes first and start one --------------

async function ask(title, text, items, { skippable }) {
  $("b-title").textContent = title;
  $("b-text").textContent = text;
  $("b-list").replaceChildren(
    ...items.map((item) => Object.assign(document.createElement("li"), { textContent: item })),
  );
  $("b-skip").hidden = !skippable;
  showPanel("p-before");
  return new Promise((resolve) => {
    $("b-yes").onclick = () => resolve(true);
    $("b-no").onclick = () => resolve(false);
    $("b-skip").onclick = () => resolve(null);
  });
}

async function boot() {
  showPanel("p-loading");
  try {
    try {
      const step = await api.current();
      const seenFinished = sessionStorage.getItem(FINISHED_KEY) === String(step.view.session_id);
      if (!step.view.finished || seenFinished) return apply(step);
      if (step.view.done_today) {
        // Today's session is over (perhaps in another browser): say so, and start another
        // only if the person asks.
        apply(step);
        return render({ again: true });
      }
    } catch (problem) {
      if (problem.status !== 404) throw problem;
    }
    await startNew();
  } catch (problem) {
    showTrouble(problem);
  }
}

async function startAnother() {
  showPanel("p-loading");
  try {
    await startNew();
  } catch (problem) {
    showTrouble(problem);
  }
}

/** Ask what comes first (yesterday's pain, the pregnancy check), then start a session. */
async function startNew() {
  const before = await api.before();
  if (!before.allowed) {
    return showTrouble({ code: before.refused.code, message: before.refused.message });
  }
  for (const q of before.next_day_questions) {
    const settled = await ask("About last time", q.question, [], { skippable: true });
    if (settled === null) break;
    await api.nextDay([{ session_id: q.session_id, item_index: q.item_index, settled }]);
  }
  const body = {};
  if (before.pregnancy_question) {
    const q = before.pregnancy_question;
    body.pregnancy_warning_signs = await ask("Before you start", q.question, q.signs, {
      skippable: false,
    });
  }
  apply(await api.start(body));
}

setupCamera({ apply, send });
boot();
