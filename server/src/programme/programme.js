// The attendee pages' one script (the pages work without it): registers the service worker
// that keeps the programme for offline use, turns calendar links into webcal:// subscriptions,
// searches as you type (the results fragment of /search, debounced, into the live region),
// and on the access-code form keeps the code on this device (in the service worker's cache,
// never a cookie) and reloads through the worker, which sends it as the gate's header.
"use strict";
(function () {
  var match = location.pathname.match(/^\/e\/([^/]+)\//);
  if (!match) return;
  var scope = "/e/" + match[1] + "/";
  var codeKey = scope + "__access-code";

  document.querySelectorAll("a[data-webcal]").forEach(function (link) {
    link.href = "webcal://" + location.host + link.getAttribute("href");
  });

  searchAsYouType();

  if (!("serviceWorker" in navigator)) return;
  var ready = navigator.serviceWorker.register("/e/sw.js", { scope: scope })
    .then(function () { return navigator.serviceWorker.ready; });

  var form = document.querySelector("form.access-code");
  if (!form) return;
  caches.open("marktplatz-codes").then(function (cache) {
    return cache.match(codeKey);
  }).then(function (stored) {
    if (stored) {
      var wrong = document.querySelector(".wrong");
      if (wrong) wrong.hidden = false;
    }
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var code = form.querySelector("input[name=code]").value;
    caches.open("marktplatz-codes")
      .then(function (cache) { return cache.put(codeKey, new Response(code)); })
      .then(function () { return ready; })
      .then(function () {
        if (navigator.serviceWorker.controller) {
          location.reload();
        } else {
          navigator.serviceWorker.addEventListener("controllerchange", function () {
            location.reload();
          });
        }
      });
  });

  // Asks the server for the results fragment a quarter second after the last keystroke; an
  // answer to an older query is dropped. The form still submits (Enter) without this.
  function searchAsYouType() {
    var form = document.querySelector("form.search");
    var region = document.getElementById("search-results");
    if (!form || !region || !window.fetch) return;
    var input = form.querySelector("input[name=q]");
    var lang = form.querySelector("input[name=lang]").value;
    var timer = null;
    var asked = 0;
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () {
        var typed = input.value.trim();
        var mine = ++asked;
        if (!typed) {
          region.innerHTML = "";
          return;
        }
        var address = form.getAttribute("action") + "?lang=" + encodeURIComponent(lang) +
          "&q=" + encodeURIComponent(typed) + "&fragment=1";
        fetch(address, { credentials: "omit" })
          .then(function (response) {
            // 503: the service worker's "search needs a connection".
            return response.ok || response.status === 503 ? response.text() : null;
          })
          .then(function (html) {
            if (html !== null && mine === asked) region.innerHTML = html;
          })
          .catch(function () {});
      }, 250);
    });
  }
})();
