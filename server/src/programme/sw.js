// The attendee programme's service worker, one registration per event (scope /e/{event}/).
// Network first, the cache when offline: every page visited is kept, and the programme
// itself from the first visit on, so the hall without signal still shows it. A protected
// event's access code (kept by programme.js in the "marktplatz-codes" cache) is sent as the
// gate's header; nothing is sent to any other origin. Search answers are not kept: offline,
// the search page (and the fragment typed searches ask for) says search needs a connection.
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

// German first, English with ?lang=en (the search form always sends its page's language).
var offlineSearch = {
  de: ["Suche", "Die Suche braucht eine Verbindung. Das Programm ist auch offline da.", "Zum Programm"],
  en: ["Search", "Search needs a connection. The programme is here offline too.", "To the programme"],
};

function searchOffline(url) {
  var lang = url.searchParams.get("lang") === "en" ? "en" : "de";
  var words = offlineSearch[lang];
  var text = '<p class="search-status">' + words[1] + "</p>";
  var body = url.searchParams.has("fragment") ? text :
    '<!doctype html><html lang="' + lang + '"><head><meta charset="utf-8">' +
    '<meta name="viewport" content="width=device-width, initial-scale=1">' +
    "<title>" + words[0] + '</title><link rel="stylesheet" href="/e/programme.css"></head>' +
    '<body><main id="main"><h1>' + words[0] + "</h1>" + text +
    '<p><a href="' + scope + "?lang=" + lang + '">' + words[2] + "</a></p></main></body></html>";
  return new Response(body, {
    status: 503,
    headers: { "Content-Type": "text/html; charset=utf-8" },
  });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  var url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== location.origin) return;
  if (!url.pathname.startsWith(scope) && shared.indexOf(url.pathname) < 0) return;
  if (url.pathname === scope + "search") {
    event.respondWith(
      withCode(request).then(fetch).catch(function () { return searchOffline(url); })
    );
    return;
  }
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
