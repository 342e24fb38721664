// "Read it aloud" on a lesson page, with the player's own speech (static/player/speech.js).
import { say, setSpeechWanted, speechWanted } from "/static/player/speech.js";

const box = document.getElementById("read-aloud");
const words = JSON.parse(document.getElementById("lesson-words").textContent);
const start = document.getElementById("say");
const stop = document.getElementById("hush");

if ("speechSynthesis" in window && box) {
  box.hidden = false;
  start.addEventListener("click", () => {
    // Asking to hear a lesson is a clear wish to hear it, even if the player's cues are off.
    if (!speechWanted()) setSpeechWanted(true);
    window.speechSynthesis.cancel();
    say(words);
    stop.hidden = false;
  });
  stop.addEventListener("click", () => {
    window.speechSynthesis.cancel();
    stop.hidden = true;
  });
}
