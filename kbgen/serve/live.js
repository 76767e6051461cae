// kbgen serve: keeps the open tab in step with the files (added to served pages only, never to a built site).
// The server says, per epoch, what this tab does: swap <main> in place, reload, follow a renamed page, or
// nothing; and which build errors to show in the overlay.
(function () {
  "use strict";
  var me = document.currentScript;
  var epoch = Number(me && me.dataset.epoch);
  var OVERLAY = "kb-live-overlay";

  function showErrors(errors) {
    var box = document.getElementById(OVERLAY);
    if (!errors || errors.length === 0) {
      if (box) box.remove();
      return;
    }
    if (!box) {
      box = document.createElement("div");
      box.id = OVERLAY;
      box.setAttribute("role", "alert");
      box.style.cssText = "position:fixed;left:0;right:0;bottom:0;z-index:2147483647;max-height:50vh;" +
        "overflow:auto;margin:0;padding:12px 16px;background:#2b0b0b;color:#ffe9e9;border-top:4px solid #e5484d;" +
        "font:13px/1.5 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;white-space:pre-wrap";
      document.body.appendChild(box);
    }
    box.textContent = "";  // text only: a message quoting a file's content can never become markup
    var head = document.createElement("strong");
    head.textContent = "kbgen: " + errors.length + (errors.length === 1 ? " error" : " errors") +
      " (the page shows the last good version)";
    box.appendChild(head);
    errors.forEach(function (line) {
      var row = document.createElement("div");
      row.textContent = line;
      box.appendChild(row);
    });
  }

  // Bring `old` in line with `neu` touching only what differs: unchanged elements (and their images, scroll
  // and focus) stay as they are, so a save that adds one paragraph adds one paragraph.
  function morph(old, neu) {
    if (old.isEqualNode(neu)) return;
    if (old.nodeType !== 1 || old.nodeName !== neu.nodeName || !sameAttributes(old, neu)) {
      old.replaceWith(neu.cloneNode(true));
      return;
    }
    var a = Array.prototype.slice.call(old.childNodes), b = Array.prototype.slice.call(neu.childNodes);
    for (var i = 0; i < b.length; i++) {
      if (i < a.length) morph(a[i], b[i]);
      else old.appendChild(b[i].cloneNode(true));
    }
    for (var j = b.length; j < a.length; j++) a[j].remove();
  }

  function sameAttributes(x, y) {
    if (x.attributes.length !== y.attributes.length) return false;
    for (var i = 0; i < x.attributes.length; i++) {
      var at = x.attributes[i];
      if (y.getAttribute(at.name) !== at.value) return false;
    }
    return true;
  }

  function apply(m) {
    if (m.go) {
      location.replace(m.go + location.search + location.hash);
    } else if (m.reload) {
      location.reload();
    } else if (typeof m.main === "string") {
      var main = document.querySelector("main");
      if (!main) return location.reload();
      var fresh = main.cloneNode(false);
      fresh.innerHTML = m.main;
      morph(main, fresh);
      document.title = m.title;
      document.dispatchEvent(new CustomEvent("kb:live-update", {detail: {epoch: m.epoch}}));
    }
  }

  function connect() {
    var url = "/_kb/live?path=" + encodeURIComponent(location.pathname) + "&epoch=" + epoch;
    var source = new EventSource(url);
    source.onmessage = function (event) {
      var m = JSON.parse(event.data);
      if (m.epoch > epoch) {
        epoch = m.epoch;
        apply(m);
      }
      showErrors(m.errors);
    };
    source.onerror = function () {
      // The server restarted or the laptop slept: come back with the epoch we have, and catch up.
      source.close();
      setTimeout(connect, 1000);
    };
  }

  connect();
})();
