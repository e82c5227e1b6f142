// The attendee programme's service worker, one registration per event (scope /e/{event}/).
// Network first, the cache when offline: every page visited is kept, and the programme
// itself from the first visit on, so the hall without signal still shows it. A protected
// event's access code (kept by programme.js in the "marktplatz-codes" cache) is sent as the
// gate's header; nothing is sent to any other origin.
"use strict";
var scope = new URL(self.registration.scope).pathname;
var pages = "marktplatz-pages-" + scope;
var codeKey = scope + "__access-code";
var shared = ["/e/programme.css", "/e/programme.js"];

function code() {
  return caches.open("marktplatz-codes")
    .then(function (cache) { return cache.match(codeKey); })
    .then(function (stored) { return stored ? stored.text() : null; });
}

function withCode(request) {
  return code().then(function (value) {
    var headers = new Headers(request.headers);
    if (value) headers.set("X-Marktplatz-Access-Code", value);
    // The request's cache mode is kept: a reload revalidates the page instead of taking the
    // browser's copy ("only-if-cached" is only allowed for same-origin mode, which a new
    // request does not have).
    var cache = request.cache === "only-if-cached" ? "default" : request.cache;
    return new Request(request.url, {
      headers: headers, credentials: "omit", redirect: "follow", cache: cache,
    });
  });
}

self.addEventListener("install", function (event) {
  event.waitUntil(
    withCode(new Request(scope)).then(function (programme) {
      return caches.open(pages).then(function (cache) {
        return Promise.all([
          fetch(programme).then(function (response) {
            if (response.ok) return cache.put(scope, response);
          }),
          cache.addAll(shared),
        ]);
      });
    }).catch(function () {}).then(function () { return self.skipWaiting(); })
  );
});

self.addEventListener("activate", function (event) {
  event.waitUntil(self.clients.claim());
});

self.addEventListener("fetch", function (event) {
  var request = event.request;
  var url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== location.origin) return;
  if (!url.pathname.startsWith(scope) && shared.indexOf(url.pathname) < 0) return;
  event.respondWith(
    withCode(request).then(function (sent) {
      return fetch(sent).then(function (response) {
        if (response.ok) {
          var copy = response.clone();
          caches.open(pages).then(function (cache) { cache.put(request.url, copy); });
        }
        return response;
      });
    }).catch(function () {
      return caches.open(pages).then(function (cache) {
        return cache.match(request.url, { ignoreVary: true }).then(function (hit) {
          return hit || cache.match(scope, { ignoreVary: true, ignoreSearch: true });
        }).then(function (hit) {
          return hit || new Response("offline", { status: 503 });
        });
      });
    })
  );
});
