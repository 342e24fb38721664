// Keep the screen on while a session runs (Screen Wake Lock API, where the browser has it).

let lock = null;
let wanted = false;

async function acquire() {
  if (!wanted || lock || !("wakeLock" in navigator) || document.visibilityState !== "visible") {
    return lock !== null;
  }
  try {
    lock = await navigator.wakeLock.request("screen");
    lock.addEventListener("release", () => {
      lock = null;
    });
    return true;
  } catch {
    return false; // refused (battery saver, no permission): the session runs all the same
  }
}

// The browser drops the lock when the page is hidden; take it again when it comes back.
document.addEventListener("visibilitychange", () => {
  acquire();
});

export async function keepAwake(on) {
  wanted = on;
  if (on) return acquire();
  if (lock) await lock.release().catch(() => undefined);
  lock = null;
  return false;
}
