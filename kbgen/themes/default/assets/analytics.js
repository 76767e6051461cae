// kbgen search analytics: each settled search, result click and vote, sent either as one GET of the site's beacon
// file (wire format v1, in the "Collecting search analytics" article), so a static host's access log records it,
// or, with `analytics.provider`, through the page API of the analytics tool the team runs (Plausible, Umami,
// Matomo, GoatCounter). No cookies, no identifiers of ours; nothing at all (not even the tool's script) when the
// reader has Do-Not-Track or Global Privacy Control on, or when the page was opened from a file.
(function () {
  "use strict";

  // --- What a search may say before it leaves the page for a tool: kbgen.report.logs.search_text, the same rules
  // in the same order (strip, cut at 200 characters after a whole word, mask e-mails, phone and card numbers).
  // tests/test_analytics_providers.py checks both give the same text for the same input.
  var MAX_TEXT = 200;
  var SPACE = "\\t\\n\\v\\f\\r\\x1c-\\x1f \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000";  // Python's
  var WORD = "\\p{L}\\p{N}_";  // Python's \w
  var EMAIL = new RegExp("[" + WORD + ".+-]+@[" + WORD + "-]+(?:\\.[" + WORD + "-]+)*", "gu");  // bob@localhost too
  var HEX = new RegExp("((?<![" + WORD + "])0[xX][0-9A-Fa-f]+(?![" + WORD + "]))", "u");  // 0x80070005 stays
  var CARD = /\p{Nd}(?:[ -]?\p{Nd}){11,}/gu;  // a card number, also glued to letters
  var IBAN = new RegExp("(?<![" + WORD + "])[A-Za-z]{2}\\p{Nd}{2}(?:[ ]?[A-Za-z0-9]){11,30}(?![" + WORD + "])", "gu");
  var PHONE = new RegExp("(?<![" + WORD + "])\\+?\\p{Nd}(?:[" + SPACE + "().-]*\\p{Nd}){6,}(?![" + WORD + "])", "gu");
  var DIGITS = new RegExp("(?<![" + WORD + "])\\p{Nd}{5,}", "gu");
  var IS_SPACE = new RegExp("^[" + SPACE + "]$", "u");
  var NUMBER_CHARS = "0123456789 \t\n\r\f\v().+-";

  function rstrip(chars, test) {
    var end = chars.length;
    while (end > 0 && test(chars[end - 1])) end--;
    return chars.slice(0, end);
  }
  function isSpace(c) { return IS_SPACE.test(c); }

  function cutText(text) {
    var chars = Array.from(text);  // code points, as Python counts
    if (chars.length <= MAX_TEXT) return text;
    var cut = chars.slice(0, MAX_TEXT + 1);
    var words = rstrip(cut, isSpace), at = words.length - 1;  // str.rsplit(None, 1): the last run of spaces
    while (at >= 0 && !isSpace(words[at])) at--;
    var head = at >= 0 ? rstrip(words.slice(0, at), isSpace) : [];
    var kept = head.length ? head : cut.slice(0, MAX_TEXT);
    return rstrip(kept, function (c) { return NUMBER_CHARS.indexOf(c) >= 0; }).join("");
  }

  function ibanValid(iban) {  // ISO 13616: country and check digits moved to the end, letters as 10–35, mod 97 is 1
    var moved = (iban.slice(4) + iban.slice(0, 4)).toUpperCase(), rest = 0;
    if (!/^[A-Z0-9]+$/.test(moved)) return false;
    for (var i = 0; i < moved.length; i++) {
      var digits = String(parseInt(moved[i], 36));
      for (var j = 0; j < digits.length; j++) rest = (rest * 10 + digits.charCodeAt(j) - 48) % 97;
    }
    return rest === 1;
  }
  function ibanOrText(found) {  // the longest start of whole groups that is a valid IBAN, masked
    var words = found.split(" ");
    for (var end = words.length; end > 0; end--) {
      var candidate = words.slice(0, end).join(""), n = Array.from(candidate).length;
      if (n >= 15 && n <= 34 && ibanValid(candidate)) {
        return "[iban]" + (end < words.length ? " " + words.slice(end).join(" ") : "");
      }
    }
    return found;
  }
  function mask(text) {
    text = text.replace(EMAIL, "[email]").replace(IBAN, ibanOrText);
    return text.split(HEX).map(function (part, i) {  // odd items are hexadecimal codes
      return i % 2 ? part : part.replace(CARD, "[number]").replace(PHONE, "[number]").replace(DIGITS, "[number]");
    }).join("");
  }

  function searchText(raw) {
    var chars = Array.from(String(raw));
    var start = 0;
    while (start < chars.length && isSpace(chars[start])) start++;
    return mask(cutText(rstrip(chars.slice(start), isSpace).join("")));
  }

  if (typeof module === "object" && module.exports) {  // Node, for the tests
    module.exports = { searchText: searchText };
    return;
  }

  var script = document.currentScript;
  if (!script) return;
  var endpoint = new URL(script.getAttribute("data-endpoint"), document.baseURI).href;
  var pageLang = script.getAttribute("data-lang") || "";
  var provider = script.getAttribute("data-provider") || "";

  function optedOut() {
    return navigator.doNotTrack === "1" || window.doNotTrack === "1" || navigator.msDoNotTrack === "1" ||
      navigator.globalPrivacyControl === true;
  }
  if (optedOut() || location.protocol === "file:") return;

  function beacon(pairs) {
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

  var toBeacon = {
    search: function (d) { beacon([["e", "search"], ["q", d.q], ["n", d.n], ["l", d.lang]]); },
    click: function (d) { beacon([["e", "click"], ["q", d.q], ["u", d.url], ["r", d.rank]]); },
    vote: function (d) { beacon([["e", "vote"], ["u", d.url], ["h", d.helpful ? 1 : 0]]); }
  };

  // --- The tools. Each event carries an event record (kbgen/analytics_providers.py) that `kbgen report` reads
  // back from the tool's export: `kbgen:search|<results>|<lang>|<query>`, `kbgen:click|<rank>|<url>|<query>`,
  // `kbgen:vote|<1|0>|<url>`.
  function escapeUrl(url) { return String(url).replace(/%/g, "%25").replace(/\|/g, "%7C"); }
  function record(kind, d) {
    if (kind === "search") return "kbgen:search|" + d.n + "|" + d.lang + "|" + d.q;
    if (kind === "click") return "kbgen:click|" + d.rank + "|" + escapeUrl(d.url) + "|" + d.q;
    return "kbgen:vote|" + (d.helpful ? 1 : 0) + "|" + escapeUrl(d.url);
  }

  // Calls a tool's API once its script has defined it: a reader may search before a deferred script has run, and
  // a snippet the team added through the theme may load later still. Gives up after about 20 seconds.
  function whenReady(ready, call) {
    var tries = 0;
    (function attempt() {
      if (ready()) { call(); return; }
      if (++tries < 40) setTimeout(attempt, 500);
    })();
  }

  function addScript(src, attributes) {
    var el = document.createElement("script");
    el.async = true;
    el.src = src;
    Object.keys(attributes).forEach(function (name) { el.setAttribute(name, attributes[name]); });
    document.head.appendChild(el);
  }

  var TOOLS = {
    // https://plausible.io/docs/custom-props/for-custom-events (and Plausible's event API: props are strings):
    // plausible(name, {props: {…}}). The queue function is the one from Plausible's
    // snippet, so calls made before its script ran are replayed by it.
    plausible: {
      load: function (src, siteId) {
        window.plausible = window.plausible || function () { (window.plausible.q = window.plausible.q || []).push(arguments); };
        if (siteId) {
          addScript(src, {"data-domain": siteId});  // the script.js snippet
        } else {  // the per-site pa-….js snippet, which knows its site and starts with plausible.init()
          window.plausible.init = window.plausible.init || function (o) { window.plausible.o = o || {}; };
          window.plausible.init();
          addScript(src, {});
        }
      },
      ready: function () { return typeof window.plausible === "function"; },
      names: {search: "KB Search", click: "KB Search Click", vote: "KB Vote"},
      send: function (kind, d) {
        var props = kind === "search" ? {query: d.q, results: String(d.n), lang: d.lang}
          : kind === "click" ? {query: d.q, url: d.url, rank: String(d.rank)}
          : {url: d.url, helpful: d.helpful ? "yes" : "no"};
        props.kbgen = record(kind, d);
        window.plausible(this.names[kind], {props: props});
      }
    },
    // https://umami.is/docs/tracker-functions: umami.track(event_name, data); names are cut at 50 characters.
    umami: {
      load: function (src, siteId) { addScript(src, {"data-website-id": siteId}); },
      ready: function () { return !!(window.umami && typeof window.umami.track === "function"); },
      names: {search: "kb-search", click: "kb-search-click", vote: "kb-vote"},
      send: function (kind, d) {
        var data = kind === "search" ? {query: d.q, results: d.n, lang: d.lang}
          : kind === "click" ? {query: d.q, url: d.url, rank: d.rank}
          : {url: d.url, helpful: !!d.helpful};
        data.kbgen = record(kind, d);
        window.umami.track(this.names[kind], data);
      }
    },
    // https://matomo.org/faq/reports/tracking-site-search-keywords/ and https://developer.matomo.org/guides/tracking-javascript-guide:
    // _paq.push(['trackSiteSearch', keyword, category, resultsCount]) and ['trackEvent', category, action, name, value].
    // _paq is Matomo's own queue, so nothing waits for its script.
    matomo: {
      load: function (src, siteId) {
        var paq = window._paq = window._paq || [];
        paq.push(["disableCookies"]);  // before anything is tracked: Matomo sets cookies unless told not to
        paq.push(["trackPageView"]);
        paq.push(["enableLinkTracking"]);
        // The tracker sits next to the script, as in Matomo's snippet (u+'matomo.php', u+'matomo.js').
        var folder = src.replace(/[?#].*$/, "").replace(/[^/]*$/, "");
        paq.push(["setTrackerUrl", folder + (/\/piwik\.js$/.test(src.replace(/[?#].*$/, "")) ? "piwik.php" : "matomo.php")]);
        paq.push(["setSiteId", siteId]);
        addScript(src, {});
      },
      ready: function () { return true; },
      send: function (kind, d) {
        var paq = window._paq = window._paq || [];
        if (kind === "search") paq.push(["trackSiteSearch", d.q, d.lang || false, d.n]);
        else if (kind === "click") paq.push(["trackEvent", "kbgen", "search click", d.url, d.rank]);
        else paq.push(["trackEvent", "kbgen", d.helpful ? "helpful" : "not helpful", d.url]);
      }
    },
    // https://www.goatcounter.com/code/events: goatcounter.count({path, title, event: true}); the path is the
    // event's name (not starting with "/"), so it is the event record itself.
    goatcounter: {
      load: function (src, siteId) { addScript(src, {"data-goatcounter": siteId}); },
      ready: function () { return !!(window.goatcounter && typeof window.goatcounter.count === "function"); },
      send: function (kind, d) {
        var title = kind === "search" ? "Search: " + d.q + " (" + d.n + ")"
          : kind === "click" ? "Search click: " + d.q + " → " + d.url
          : (d.helpful ? "Helpful: " : "Not helpful: ") + d.url;
        window.goatcounter.count({path: record(kind, d), title: title, event: true});
      }
    }
  };

  var tool = TOOLS[provider];
  var send = toBeacon;
  if (tool) {
    if (script.getAttribute("data-script")) {
      tool.load(new URL(script.getAttribute("data-script"), document.baseURI).href,
                script.getAttribute("data-site-id") || "");
    }
    var viaTool = function (kind) {
      return function (d) { whenReady(tool.ready, function () { tool.send(kind, d); }); };
    };
    send = {search: viaTool("search"), click: viaTool("click"), vote: viaTool("vote")};
  }

  document.addEventListener("kb:search", function (ev) {
    var d = ev.detail || {};
    var q = tool ? searchText(d.q || "") : d.q;
    if (!q) return;
    send.search({q: q, n: d.n | 0, lang: d.lang || pageLang});
  });
  document.addEventListener("kb:click", function (ev) {
    var d = ev.detail || {};
    if (!d.url) return;
    send.click({q: tool ? searchText(d.q || "") : d.q || "", url: d.url, rank: d.rank | 0});
  });
  document.addEventListener("kb:vote", function (ev) {
    var d = ev.detail || {};
    if (!d.url) return;
    send.vote({url: d.url, helpful: !!d.helpful});
  });
})();
