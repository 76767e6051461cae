// kbgen search analytics: one GET of the site's beacon file per settled search, result click and vote.
// The event travels in the query string (wire format v1, documented in the "Collecting search analytics"
// article), so a static host's access log records it. No cookies, no identifiers; nothing when the reader
// has Do-Not-Track or Global Privacy Control on, or when the page was opened from a file.
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script) return;
  var endpoint = new URL(script.getAttribute("data-endpoint"), document.baseURI).href;
  var pageLang = script.getAttribute("data-lang") || "";

  function optedOut() {
    return navigator.doNotTrack === "1" || window.doNotTrack === "1" || navigator.msDoNotTrack === "1" ||
      navigator.globalPrivacyControl === true;
  }

  function send(pairs) {
    if (optedOut() || location.protocol === "file:") return;
    var query = pairs.concat([["v", "1"]]).map(function (p) {
      return p[0] + "=" + encodeURIComponent(String(p[1]));
    }).join("&");
    var url = endpoint + (endpoint.indexOf("?") < 0 ? "?" : "&") + query;
    // GET, not sendBeacon's POST: many static hosts answer POST with 405 and log it differently.
    // keepalive lets a click's request finish while the browser follows the link.
    if (window.fetch) {
      fetch(url, {method: "GET", keepalive: true, credentials: "omit", cache: "no-store", mode: "no-cors"})
        .catch(function () {});
    } else {
      new Image().src = url;
    }
  }

  document.addEventListener("kb:search", function (ev) {
    var d = ev.detail || {};
    if (!d.q) return;
    send([["e", "search"], ["q", d.q], ["n", d.n | 0], ["l", d.lang || pageLang]]);
  });
  document.addEventListener("kb:click", function (ev) {
    var d = ev.detail || {};
    if (!d.url) return;
    send([["e", "click"], ["q", d.q || ""], ["u", d.url], ["r", d.rank | 0]]);
  });
  document.addEventListener("kb:vote", function (ev) {
    var d = ev.detail || {};
    if (!d.url) return;
    send([["e", "vote"], ["u", d.url], ["h", d.helpful ? 1 : 0]]);
  });
})();
