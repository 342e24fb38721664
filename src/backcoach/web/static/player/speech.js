// Spoken cues with the browser's own speech synthesis; on or off, remembered on this device.

const KEY = "backcoach.speech";

export function speechWanted() {
  return localStorage.getItem(KEY) !== "off";
}

export function setSpeechWanted(on) {
  localStorage.setItem(KEY, on ? "on" : "off");
  if (!on && "speechSynthesis" in window) window.speechSynthesis.cancel();
}

/** Say the texts of one step. A step that waits behind another is stale by the time it could
 *  be spoken, so a waiting one is dropped for the newest (as the terminal player does). */
export function say(texts) {
  if (!texts.length || !speechWanted() || !("speechSynthesis" in window)) return;
  const synth = window.speechSynthesis;
  if (synth.pending) synth.cancel();
  const utterance = new SpeechSynthesisUtterance(texts.join(" "));
  utterance.rate = 0.95;
  utterance.lang = document.documentElement.lang || "en";
  synth.speak(utterance);
}
