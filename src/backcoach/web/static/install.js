// Every page: install the service worker (/sw.js: today's plan and the app's files offline),
// and forget what it kept when the person signs out. Service workers need a secure context
// (https, or http://localhost / 127.0.0.1); a phone paired over plain http on the LAN has
// none, so there the pages simply need the connection.

const SIGN_OUT = new Set(["/signout", "/signout-everywhere"]);

if ("serviceWorker" in navigator && window.isSecureContext) {
  navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch(() => undefined);
}

/** Delete every cache of this origin (today's plan included); never waits long. */
async function forgetKept() {
  if (!("caches" in window)) return;
  const clearing = caches.keys().then((names) => Promise.all(names.map((n) => caches.delete(n))));
  await Promise.race([clearing, new Promise((resolve) => setTimeout(resolve, 1500))]);
}

document.addEventListener("submit", (event) => {
  const form = event.target;
  if (!(form instanceof HTMLFormElement)) return;
  if (!SIGN_OUT.has(new URL(form.action, location.href).pathname)) return;
  event.preventDefault();
  forgetKept().finally(() => form.submit());
});
