/* kbgen search UI: the header box (results as you type, "/" to focus, arrows/Enter/Escape) and the results page
 * (?q=, survives reload and back). Ranking lives in search-core.js. Everything from the query or the content is
 * inserted as text nodes, never as HTML. Emits kb:search and kb:click on document for analytics. */
(function () {
  "use strict";
  var core = window.KbgenSearch, configEl = document.getElementById("kb-search-config");
  if (!core || !configEl) return;
  var config = JSON.parse(configEl.textContent), text = config.text;
  var index = null, announced = "", settleTimer = 0;
  var DEBOUNCE_MS = 100, SETTLE_MS = 1500, POPUP_RESULTS = 6, PAGE_RESULTS = 20, EXCERPT_CHARS = 180;

  function getIndex() {
    if (!index) index = new core.SearchIndex(core.scriptLoader(config.index));
    return index;
  }

  function el(tag, className, content) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (content != null) node.textContent = content;
    return node;
  }

  function countText(n) {
    var form = new Intl.PluralRules(config.lang || "en").select(n);
    return (text["count_" + form] || text.count_other).replace("{count}", String(n));
  }

  /* --- analytics events (the contract in the developers' brief) --- */
  /* The last query announced in this tab survives the trip to the results page: a search the header box already
   * counted (it settled while the reader paused) is not counted again when its results page opens, reloads or
   * comes back. */
  var ANNOUNCED_KEY = "kbgen-search-announced";
  try { announced = sessionStorage.getItem(ANNOUNCED_KEY) || ""; } catch (e) { /* storage off: per page */ }

  function settled(q, n) {
    clearTimeout(settleTimer);
    if (!q.trim() || q === announced) return;
    announced = q;
    try { sessionStorage.setItem(ANNOUNCED_KEY, q); } catch (e) { /* storage off: per page */ }
    document.dispatchEvent(new CustomEvent("kb:search", { detail: { q: q, n: n, lang: config.lang } }));
  }

  function settleLater(q, n) {
    clearTimeout(settleTimer);
    settleTimer = setTimeout(function () { settled(q, n); }, SETTLE_MS);
  }

  function clicked(q, n, result, rank) {
    settled(q, n);
    document.dispatchEvent(new CustomEvent("kb:click", { detail: { q: q, url: result.url, rank: rank } }));
  }

  /* --- sub-results and excerpts --- */
  function bestSection(frag, words) {
    var best = null, bestScore = 0;
    frag[3].forEach(function (s) {
      var seen = new Set(), score = 0;
      core.words(core.normalise(s[1])).forEach(function (w) { if (words.has(w) && !seen.has(w)) { seen.add(w); score += 2; } });
      core.words(core.normalise(s[2])).forEach(function (w) { if (words.has(w) && !seen.has(w)) { seen.add(w); score += 1; } });
      if (score > bestScore) { best = s; bestScore = score; }
    });
    return best;
  }

  function matches(textValue, words) {
    /* [start, end] of each word of the text the search matched: typed, another form of it, or its correction */
    var re = /[\p{L}\p{N}]+/gu, m, spans = [];
    while ((m = re.exec(textValue))) {
      if (words.has(core.normalise(m[0]))) spans.push([m.index, m.index + m[0].length]);
    }
    return spans;
  }

  function marked(node, textValue, spans, start, end) {
    /* text[start:end] into node, the spans in <mark>, built from text nodes */
    var pos = start;
    spans.forEach(function (s) {
      if (s[0] < pos || s[1] > end) return;
      node.appendChild(document.createTextNode(textValue.slice(pos, s[0])));
      node.appendChild(el("mark", null, textValue.slice(s[0], s[1])));
      pos = s[1];
    });
    node.appendChild(document.createTextNode(textValue.slice(pos, end)));
    return node;
  }

  function excerpt(textValue, words) {
    /* A window of the text around the first matched word, matched words in <mark>. */
    var spans = matches(textValue, words), first = spans.length ? spans[0][0] : -1;
    var start = first > 60 ? textValue.lastIndexOf(" ", first - 40) + 1 : 0;
    var end = Math.min(textValue.length, start + EXCERPT_CHARS);
    var out = el("span", "search-excerpt");
    if (start > 0) out.appendChild(document.createTextNode("… "));
    marked(out, textValue, spans, start, end);
    if (end < textValue.length) out.appendChild(document.createTextNode(" …"));
    return out;
  }

  function describe(hit, words) {
    return getIndex().fragment(hit.doc).then(function (frag) {
      /* the section whose words match best; none matching (the title or keywords did), the whole text */
      var section = bestSection(frag, words), all = frag[3].map(function (s) { return s[2]; }).join(" ");
      return {
        url: frag[0], title: frag[1], crumbs: frag[2], anchor: section ? section[0] : "",
        sectionTitle: section ? section[1] : "", text: (section && section[2]) || all
      };
    });
  }

  function resultLink(r, q, n, rank, className) {
    var a = el("a", className);
    a.href = pageHref(config.root + r.url) + (r.anchor ? "#" + encodeURIComponent(r.anchor) : "");
    a.appendChild(marked(el("span", "search-title"), r.title, matches(r.title, r.words), 0, r.title.length));
    if (r.sectionTitle) a.appendChild(el("span", "search-section", " › " + r.sectionTitle));
    if (r.crumbs.length) a.appendChild(el("span", "search-crumbs", r.crumbs.join(" › ")));
    a.appendChild(r.excerpt);
    a.addEventListener("click", function () { clicked(q, n, r, rank); });
    return a;
  }

  function run(q, typing, limit) {
    return getIndex().search(q, typing).then(function (result) {
      var words = new Set(result.words);
      var shown = result.hits.slice(0, limit);
      return Promise.all(shown.map(function (h) { return describe(h, words); })).then(function (rs) {
        rs.forEach(function (r) { r.words = words; r.excerpt = excerpt(r.text, words); });
        return { q: q, total: result.hits.length, results: rs, suggestion: result.suggestion };
      });
    });
  }

  /* Opened from disk, a folder URL shows a file listing, not its index.html: name the file there. */
  var FROM_DISK = location.protocol === "file:";
  function pageHref(url) { return FROM_DISK && /\/$/.test(url) ? url + "index.html" : url; }
  function searchUrl(q) { return pageHref(config.page) + "?q=" + encodeURIComponent(q); }

  function emptyState(container, found, rerun) {
    container.replaceChildren();
    container.appendChild(el("p", "search-none", text.no_results));
    if (found.suggestion) container.appendChild(suggestionLine(found.suggestion, rerun));
    var popular = getIndex().manifest.popular;
    if (popular.length) {
      container.appendChild(el("p", "search-popular-title", text.popular));
      var list = el("ul", "search-popular");
      popular.forEach(function (p) {
        var li = el("li"), a = el("a", null, p[1]);
        a.href = pageHref(config.root + p[0]);
        li.appendChild(a);
        list.appendChild(li);
      });
      container.appendChild(list);
    }
    if (config.support) {
      var c = el("a", "search-contact", text.contact);
      c.href = config.support;
      container.appendChild(el("p")).appendChild(c);
    }
  }

  function suggestionLine(s, rerun) {
    /* "Did you mean …": a link to the results page for the correction; there already, one click re-runs it */
    var p = el("p", "search-suggestion", text.did_you_mean + " "), a = el("a", null, s);
    a.href = searchUrl(s);
    if (rerun) a.addEventListener("click", function (e) { e.preventDefault(); rerun(s); });
    p.appendChild(a);
    return p;
  }

  /* --- the header box --- */
  function setupBox(form) {
    var input = form.querySelector("input[name=q]"), popup = form.querySelector(".search-popup");
    var timer = 0, active = -1, latest = "";

    function options() { return popup.querySelectorAll("[role=option]"); }

    function close() {
      popup.hidden = true;
      input.removeAttribute("aria-activedescendant");
      input.setAttribute("aria-expanded", "false");
      active = -1;
    }

    function highlight(i) {
      var opts = options();
      if (!opts.length) return;
      active = (i + opts.length) % opts.length;
      opts.forEach(function (o, j) { o.setAttribute("aria-selected", j === active ? "true" : "false"); });
      input.setAttribute("aria-activedescendant", opts[active].id);
      opts[active].scrollIntoView({ block: "nearest" });
    }

    function show(found) {
      if (found.q !== latest) return;
      popup.replaceChildren();
      if (!found.total) {
        emptyState(popup, found);
        input.setAttribute("aria-controls", popup.id);
      } else {
        // Only options may sit in a listbox: the "all results" link and the empty state go beside it.
        var list = el("div", "search-options");
        list.id = "kb-search-listbox";
        list.setAttribute("role", "listbox");
        list.setAttribute("aria-label", text.results);
        found.results.forEach(function (r, i) {
          var link = resultLink(r, found.q, found.total, i + 1, "search-option");
          link.setAttribute("role", "option");
          link.id = "kb-search-option-" + i;
          list.appendChild(link);
        });
        popup.appendChild(list);
        input.setAttribute("aria-controls", list.id);
        var all = el("a", "search-all", countText(found.total));
        all.href = searchUrl(found.q);
        popup.appendChild(all);
      }
      popup.hidden = false;
      input.setAttribute("aria-expanded", "true");
      active = -1;
      settleLater(found.q, found.total);
    }

    input.addEventListener("input", function () {
      clearTimeout(timer);
      latest = input.value;
      if (!latest.trim()) { close(); return; }
      timer = setTimeout(function () {
        run(latest, true, POPUP_RESULTS).then(show, function () {
          popup.replaceChildren(el("p", "search-none", text.error));
          popup.hidden = false;
        });
      }, DEBOUNCE_MS);
    });
    input.addEventListener("focus", function () { getIndex().open(); });
    input.addEventListener("keydown", function (e) {
      if (e.key === "ArrowDown") { e.preventDefault(); highlight(active + 1); }
      else if (e.key === "ArrowUp") { e.preventDefault(); highlight(active - 1); }
      else if (e.key === "Escape") {
        if (!popup.hidden) close(); else { input.value = ""; input.blur(); }
      } else if (e.key === "Enter" && active >= 0 && !popup.hidden) {
        e.preventDefault();
        options()[active].click();
      }  // a plain Enter opens the results page, which counts the search with its full result count
    });
    form.addEventListener("submit", function (e) {
      if (!input.value.trim() || FROM_DISK) e.preventDefault();
      if (input.value.trim() && FROM_DISK) location.href = searchUrl(input.value);
    });
    document.addEventListener("click", function (e) { if (!form.contains(e.target)) close(); });
    document.addEventListener("keydown", function (e) {
      var t = e.target, tag = t && t.tagName;
      if (e.key !== "/" || e.ctrlKey || e.metaKey || e.altKey) return;
      if (tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || (t && t.isContentEditable)) return;
      e.preventDefault();
      input.focus();
    });
  }

  /* --- the results page --- */
  function setupPage(form) {
    var input = form.querySelector("input[name=q]");
    var status = document.getElementById("kb-search-status"), list = document.getElementById("kb-search-results");
    var empty = document.getElementById("kb-search-empty"), timer = 0, latest = "", limit = PAGE_RESULTS;
    var more = el("button", "search-more", text.more);
    more.type = "button";
    more.hidden = true;
    list.after(more);
    more.addEventListener("click", function () {
      limit += PAGE_RESULTS;
      run(latest, false, limit).then(render);
    });

    function render(found) {
      if (found.q !== latest) return;
      list.replaceChildren();
      empty.hidden = true;
      if (!found.q.trim()) { status.textContent = ""; return; }
      status.replaceChildren(document.createTextNode(countText(found.total)));
      if (found.suggestion && found.total) status.appendChild(suggestionLine(found.suggestion, rerun));
      if (!found.total) { empty.hidden = false; emptyState(empty, found, rerun); }
      found.results.forEach(function (r, i) {
        var li = el("li", "search-result");
        li.appendChild(resultLink(r, found.q, found.total, i + 1, "search-result-link"));
        list.appendChild(li);
      });
      more.hidden = found.total <= found.results.length;
      return found;
    }

    function go(q, typing) {
      latest = q;
      limit = PAGE_RESULTS;
      more.hidden = true;
      if (!q.trim()) { render({ q: q, total: 0, results: [] }); return Promise.resolve(null); }
      status.textContent = text.loading;
      return run(q, typing, PAGE_RESULTS).then(render, function () { status.textContent = text.error; });
    }

    function fromLocation() {
      var q = new URLSearchParams(location.search).get("q") || "";
      input.value = q;
      go(q, false).then(function (found) { if (found) settled(q, found.total); });
    }

    input.addEventListener("input", function () {
      clearTimeout(timer);
      var q = input.value;
      timer = setTimeout(function () {
        history.replaceState(null, "", q ? "?q=" + encodeURIComponent(q) : location.pathname);
        go(q, true).then(function (found) { if (found) settleLater(q, found.total); });
      }, DEBOUNCE_MS);
    });
    function rerun(q) {
      clearTimeout(timer);
      input.value = q;
      history.pushState(null, "", "?q=" + encodeURIComponent(q));
      go(q, false).then(function (found) { if (found) settled(q, found.total); });
    }

    form.addEventListener("submit", function (e) {
      e.preventDefault();
      rerun(input.value);
    });
    window.addEventListener("popstate", fromLocation);
    fromLocation();
  }

  document.querySelectorAll("form[data-kb-search]").forEach(setupBox);
  var page = document.querySelector("form[data-kb-search-page]");
  if (page) setupPage(page);
})();
