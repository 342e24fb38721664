// The service worker (served as /sw.js, with VERSION and PRECACHE stamped in front by
// backcoach.web.pages_app). What it keeps, and nothing more:
//  * the app's static files, precached per release (a new release's worker drops the old
//    copies) and the exercise pictures (no personal data);
//  * today's plan: the last /today page (and GET /api/plan) loaded while online, so the plan
//    opens without a connection, with a banner saying it is the copy last loaded.
// Everything else (other pages, every other API answer) goes to the network untouched and is
// never stored. A sign-out clears every cache (here, and in static/install.js for a page the
// worker does not control yet).

/* global VERSION, PRECACHE */
const STATIC_CACHE = `backcoach-static-${VERSION}`;
const PLAN_CACHE = "backcoach-plan";
const PLAN_PATHS = new Set(["/today", "/api/plan"]);
const PICTURES = /^\/figures\/[^/]+(\/moving)?\.svg$|^\/api\/exercises\/[^/]+\/(figure|animation)\.svg$/;
const SIGN_OUT_PATHS = new Set(["/signout", "/signout-everywhere", "/api/auth/logout", "/api/auth/logout-everywhere"]);
const MAIN_TAG = '<main id="main" class="page" tabindex="-1">';
const OFFLINE_BANNER =
  '<div class="alert alert-calm offline-banner" role="status" id="offline-banner">' +
  "<p><strong>You are offline:</strong> this is the plan as last loaded.</p></div>";

self.addEventListener("install", (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(STATIC_CACHE);
      await cache.addAll(PRECACHE.map((url) => new Request(url, { cache: "no-cache" })));
      await self.skipWaiting();
    })(),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys()) {
        if (name.startsWith("backcoach-static-") && name !== STATIC_CACHE) await caches.delete(name);
      }
      await self.clients.claim();
    })(),
  );
});

/** Forget everything kept: every cache of this origin. */
async function clearAll() {
  await Promise.all((await caches.keys()).map((name) => caches.delete(name)));
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.method === "POST" && SIGN_OUT_PATHS.has(url.pathname)) {
    event.waitUntil(clearAll()); // the network answers it as usual
    return;
  }
  if (request.method !== "GET") return;
  if (PLAN_PATHS.has(url.pathname) && !url.search) {
    event.respondWith(planFirstFromNetwork(event, url.pathname));
  } else if (url.pathname.startsWith("/static/") || PICTURES.test(url.pathname)) {
    event.respondWith(fromCacheFirst(request));
  } else if (request.mode === "navigate") {
    event.respondWith(fetch(request).catch(() => offlinePage()));
  }
});

/** Today's plan: the network's answer (kept for later) or, without a connection, the copy
 *  last kept. A redirect (a clinic sign-in that ended) or a refusal drops the copy. */
async function planFirstFromNetwork(event, path) {
  let response;
  try {
    response = await fetch(event.request);
  } catch {
    return (await keptPlan(path)) ?? offlinePage();
  }
  const cache = await caches.open(PLAN_CACHE);
  if (response.ok && response.type === "basic" && !response.redirected) {
    const copy = response.clone();
    event.waitUntil(
      (async () => {
        await cache.put(path, copy.clone());
        if (path === "/today") await keepPictures(await copy.text());
      })(),
    );
  } else if (response.type === "opaqueredirect" || response.redirected || response.status === 401) {
    event.waitUntil(cache.delete(path));
  }
  return response;
}

async function keptPlan(path) {
  const cache = await caches.open(PLAN_CACHE);
  const kept = await cache.match(path);
  if (!kept || path !== "/today") return kept;
  const html = (await kept.text()).replace(MAIN_TAG, MAIN_TAG + OFFLINE_BANNER);
  return new Response(html, { status: 200, headers: kept.headers });
}

/** The pictures today's page shows, so they are there offline too. */
async function keepPictures(html) {
  const cache = await caches.open(STATIC_CACHE);
  // With or without words (?text=no), the person's version (&version=wrist): the address
  // kept is the one the page asks for (the HTML writes its "&" as "&amp;").
  const sources = [...html.matchAll(/src="(\/figures\/[^"?]+\.svg(?:\?[^"]*)?)"/g)].map(
    (m) => m[1].replaceAll("&amp;", "&"),
  );
  await Promise.all(
    sources.map(async (src) => {
      if (!(await cache.match(src))) await cache.add(src).catch(() => undefined);
    }),
  );
}

async function fromCacheFirst(request) {
  const cache = await caches.open(STATIC_CACHE);
  const kept = await cache.match(request, { ignoreSearch: false });
  if (kept) return kept;
  const response = await fetch(request);
  if (response.ok && PICTURES.test(new URL(request.url).pathname)) {
    await cache.put(request, response.clone());
  }
  return response;
}

function offlinePage() {
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Offline · backcoach</title><link rel="stylesheet" href="/static/app.css"></head>
<body><main id="main" class="page"><h1>You are offline</h1>
<p>This page needs a connection. <a href="/today">Today's plan</a> opens without one once it
has been loaded while online.</p></main></body></html>`;
  return new Response(html, {
    status: 503,
    headers: {
      "Content-Type": "text/html; charset=utf-8",
      "Cache-Control": "no-store",
      "Content-Security-Policy": "default-src 'self'; base-uri 'none'; form-action 'self'",
    },
  });
}
