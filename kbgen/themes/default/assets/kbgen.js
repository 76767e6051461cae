/* kbgen default theme: dark-mode toggle, FAQ deep links, copy-link buttons, "Was this helpful?", file:// links.
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

  /* FAQ: a link to a question's anchor opens that question (on load and when the hash changes). */
  function openTarget() {
    var id = decodeURIComponent(location.hash.slice(1));
    var target = id && document.getElementById(id);
    if (!target) return;
    for (var node = target; node; node = node.parentElement) {
      if (node.tagName === "DETAILS") node.open = true;
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
