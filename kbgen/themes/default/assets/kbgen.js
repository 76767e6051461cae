/* kbgen default theme: dark-mode toggle, content tabs, FAQ deep links, copy-link buttons, "Was this helpful?", file:// links.
   No framework and no network requests: the analytics script turns the kb:vote events into beacons. */
(function () {
  "use strict";
  var root = document.documentElement;

  /* Dark mode: follows the system until the reader chooses; the choice is remembered in localStorage. */
  function isDark() {
    var chosen = root.dataset.theme;
    return chosen ? chosen === "dark" : window.matchMedia("(prefers-color-scheme: dark)").matches;
  }
  document.querySelectorAll("[data-kbgen-theme-toggle]").forEach(function (button) {
    button.hidden = false;
    button.setAttribute("aria-pressed", String(isDark()));
    button.addEventListener("click", function () {
      var next = isDark() ? "light" : "dark";
      root.dataset.theme = next;
      try { localStorage.setItem("kbgen-theme", next); } catch (e) { /* storage off: the choice lasts this page */ }
      button.setAttribute("aria-pressed", String(next === "dark"));
    });
  });

  /* The announcement banner: dismissed, it stays away (localStorage) until its text, and so its key, changes. */
  document.querySelectorAll("[data-kbgen-announcement]").forEach(function (banner) {
    var button = banner.querySelector("[data-kbgen-dismiss]");
    button.hidden = false;
    button.addEventListener("click", function () {
      try { localStorage.setItem("kbgen-announcement", banner.getAttribute("data-kbgen-announcement")); } catch (e) {}
      root.dataset.announcement = "dismissed";
    });
  });

  /* Content tabs (issue 23): the WAI-ARIA tabs pattern (tablist/tab/tabpanel, roving tabindex, arrow keys, Home,
     End) laid over panels that stay readable one after another without a script. The labels chosen are
     remembered, most recent first ("kbgen-tabs" in localStorage), so choosing "Windows" once selects it in every
     tab set of the site that has it. Opening a panel's #id selects it. */
  var TABS_KEY = "kbgen-tabs";
  function chosenLabels() {
    try { return JSON.parse(localStorage.getItem(TABS_KEY) || "[]") || []; } catch (e) { return []; }
  }
  var tabSets = [];
  function chooseLabel(label) {
    var labels = chosenLabels().filter(function (l) { return l !== label; });
    labels.unshift(label);
    try { localStorage.setItem(TABS_KEY, JSON.stringify(labels.slice(0, 30))); } catch (e) { /* this page only */ }
    tabSets.forEach(function (set) {
      var i = set.labels.indexOf(label);
      if (i >= 0) set.select(i);
    });
  }
  document.querySelectorAll(".kb-tabs").forEach(function (set) {
    var panels = Array.prototype.filter.call(set.children, function (c) { return c.classList.contains("kb-tab"); });
    if (!panels.length) return;
    var list = document.createElement("div");
    list.className = "kb-tablist";
    list.setAttribute("role", "tablist");
    var labels = panels.map(function (panel) { return panel.getAttribute("data-kb-tab") || ""; });
    var buttons = panels.map(function (panel, i) {
      var button = document.createElement("button");
      button.type = "button";
      button.id = panel.id + "--tab";
      button.textContent = labels[i];
      button.setAttribute("role", "tab");
      button.setAttribute("aria-controls", panel.id);
      panel.setAttribute("role", "tabpanel");
      panel.setAttribute("aria-labelledby", button.id);
      panel.tabIndex = 0;
      list.appendChild(button);
      return button;
    });
    function select(index) {
      buttons.forEach(function (button, i) {
        button.setAttribute("aria-selected", String(i === index));
        button.tabIndex = i === index ? 0 : -1;
        panels[i].hidden = i !== index;
      });
    }
    panels.forEach(function (panel, i) { panel.kbgenSelectTab = function () { select(i); }; });
    list.addEventListener("click", function (event) {
      var button = event.target.closest("[role=tab]");
      if (button) chooseLabel(labels[buttons.indexOf(button)]);
    });
    list.addEventListener("keydown", function (event) {
      var i = buttons.indexOf(document.activeElement);
      var next = {ArrowRight: i + 1, ArrowLeft: i - 1, Home: 0, End: buttons.length - 1}[event.key];
      if (i < 0 || next === undefined) return;
      event.preventDefault();
      next = (next + buttons.length) % buttons.length;
      chooseLabel(labels[next]);
      buttons[next].focus();
    });
    set.insertBefore(list, set.firstChild);
    set.classList.add("kb-tabs-ready");
    var remembered = chosenLabels().filter(function (l) { return labels.indexOf(l) >= 0; })[0];
    select(remembered === undefined ? 0 : labels.indexOf(remembered));
    tabSets.push({labels: labels, select: select});
  });

  /* FAQ: a link to a question's anchor opens that question (on load and when the hash changes). */
  function openTarget() {
    var id = decodeURIComponent(location.hash.slice(1));
    var target = id && document.getElementById(id);
    if (!target) return;
    for (var node = target; node; node = node.parentElement) {
      if (node.tagName === "DETAILS") node.open = true;
      if (node.kbgenSelectTab) node.kbgenSelectTab();
    }
    target.scrollIntoView();
  }
  window.addEventListener("hashchange", openTarget);
  openTarget();
  window.addEventListener("beforeprint", function () {
    document.querySelectorAll("details").forEach(function (d) { d.open = true; });
  });

  /* Copy link: operators paste links to answers into chats. Clipboard API, else the old selection trick. */
  function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text).catch(function () { return legacyCopy(text); });
    }
    return Promise.resolve(legacyCopy(text));
  }
  function legacyCopy(text) {
    var area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.style.position = "fixed";
    area.style.opacity = "0";
    document.body.appendChild(area);
    area.select();
    try { document.execCommand("copy"); } finally { document.body.removeChild(area); }
  }
  var status = document.createElement("p");
  status.className = "visually-hidden";
  status.setAttribute("role", "status");
  document.body.appendChild(status);
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-kbgen-copy-link]");
    if (!button) return;
    event.preventDefault();
    var url = location.href.split("#")[0] + button.getAttribute("data-kbgen-copy-link");
    copyText(url).then(function () {
      var copied = document.body.getAttribute("data-kbgen-copied") || "Copied";
      button.classList.add("copied");
      button.setAttribute("data-copied-text", copied);
      status.textContent = copied;
      setTimeout(function () { button.classList.remove("copied"); status.textContent = ""; }, 2500);
    });
  });

  /* "Was this helpful?": one kb:vote event per page view, then a thank-you in place of the buttons. */
  document.querySelectorAll("[data-kbgen-feedback]").forEach(function (section) {
    section.addEventListener("click", function (event) {
      var button = event.target.closest("[data-kbgen-vote]");
      if (!button) return;
      var helpful = button.getAttribute("data-kbgen-vote") === "yes";
      document.dispatchEvent(new CustomEvent("kb:vote", {
        detail: { url: section.getAttribute("data-article"), helpful: helpful }
      }));
      section.querySelectorAll("[data-kbgen-vote]").forEach(function (b) { b.disabled = true; });
      button.setAttribute("aria-pressed", "true");
      var thanks = section.querySelector(".feedback-thanks");
      if (thanks) thanks.textContent = thanks.getAttribute("data-thanks");
    });
  });

  /* Code and tables wider than the screen scroll sideways; keyboard readers must be able to scroll them too. */
  document.querySelectorAll("pre, .content table").forEach(function (el) {
    if (el.scrollWidth > el.clientWidth) el.tabIndex = 0;
  });

  /* Opened from disk, a link to a folder shows a file listing: point folder links at their index.html. */
  if (location.protocol === "file:") {
    document.querySelectorAll("a[href]").forEach(function (a) {
      var href = a.getAttribute("href");
      if (/^[a-z][a-z0-9+.-]*:|^\/\/|^#/i.test(href)) return;
      var parts = href.match(/^([^?#]*)(.*)$/);
      if (parts[1] === "" || parts[1].slice(-1) === "/") a.setAttribute("href", parts[1] + "index.html" + parts[2]);
    });
  }
})();
