// The note after a session for the physiotherapist (clinic mode only: the form is on the page
// only there, session.html). Sent to POST /api/sessions/{id}/comment; a new note replaces the
// last. Without a connection it is kept and sent again when the connection is back.

import { sendComment } from "./api.js";

const $ = (id) => document.getElementById(id);

const SENT = "Sent \u2014 your physiotherapist will see it.";
const WAITING =
  "No connection: your note is kept on this page and sent as soon as the connection is back.";

let sessionId = null;

function say(message, kind = "") {
  const status = $("f-comment-status");
  status.textContent = message;
  status.className = `p-comment-status${kind ? ` is-${kind}` : ""}`;
}

function counted() {
  const text = $("f-comment-text");
  const max = Number($("f-comment").dataset.max);
  const count = $("f-comment-count");
  count.textContent = `${text.value.length} of ${max} characters`;
  count.classList.toggle("is-full", text.value.length >= max);
}

async function submit(event) {
  event.preventDefault();
  const text = $("f-comment-text");
  const note = text.value.trim();
  if (!note) {
    say("Write a few words first, then send.", "problem");
    text.focus();
    return;
  }
  const button = $("f-comment-send");
  button.disabled = true;
  say("Sending\u2026");
  try {
    await sendComment(sessionId, note, (connected) => {
      if (!connected) say(WAITING, "problem");
    });
    say(SENT, "sent");
  } catch (problem) {
    say(`Not sent: ${problem.message}`, "problem");
  } finally {
    button.disabled = false;
  }
}

/** Offer the note for the finished session ``id``; nothing in personal mode (no form). */
export function offerComment(id) {
  const form = $("f-comment");
  if (!form) return;
  if (sessionId !== id) {
    sessionId = id;
    say("");
  }
  form.onsubmit = submit;
  $("f-comment-text").oninput = () => {
    counted();
    if ($("f-comment-status").classList.contains("is-sent")) say("");
  };
  counted();
}
