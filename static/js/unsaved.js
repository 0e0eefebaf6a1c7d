// Asks before leaving a page with unsaved input: a form marked data-unsaved-warning is
// "dirty" once any of its fields differs from what the page was rendered with, and while
// any such form is dirty the browser's own «leave the page?» dialog guards navigation.
// Sending the form itself is not leaving it (the form clears its mark when it is really
// sent, i.e. after confirm.js's question was answered «yes»); sending another form or
// following a link while a marked form is dirty asks first. A form re-rendered with the
// server's errors carries data-unsaved-warning="dirty": what it shows was typed, not saved.
// Without JavaScript nothing is asked. Loaded from templates/base.html (no inline JS: CSP).
(function () {
  "use strict";
  var SELECTOR = "form[data-unsaved-warning]";

  function snapshot(form) {
    var parts = [];
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || el.disabled) return;
      var type = (el.type || "").toLowerCase();
      if (type === "submit" || type === "button" || type === "hidden") return;
      if (type === "checkbox" || type === "radio") {
        parts.push(el.name + "=" + (el.checked ? el.value : ""));
      } else if (type === "file") {
        parts.push(el.name + "=" + (el.files ? el.files.length : 0));
      } else if (el.multiple && el.options) {
        parts.push(el.name + "=" + Array.prototype.filter.call(el.options, function (o) {
          return o.selected;
        }).map(function (o) { return o.value; }).join(","));
      } else {
        parts.push(el.name + "=" + el.value);
      }
    });
    return parts.join("\u0000");
  }

  var forms = [];
  var leaving = null;  // the form being sent right now: its own submit is not "leaving"

  function isDirty(entry) {
    return entry.form.isConnected && entry.form !== leaving &&
      (entry.forced || snapshot(entry.form) !== entry.initial);
  }

  function start() {
    Array.prototype.forEach.call(document.querySelectorAll(SELECTOR), function (form) {
      forms.push({form: form, initial: snapshot(form),
                  forced: form.getAttribute("data-unsaved-warning") === "dirty"});
    });
  }

  // Registered after confirm.js (both deferred, in document order), so a submit that the
  // user cancelled there arrives here already prevented and keeps the form dirty.
  document.addEventListener("submit", function (event) {
    if (event.defaultPrevented) return;
    leaving = event.target;
  });

  window.addEventListener("beforeunload", function (event) {
    var dirty = forms.some(isDirty);
    leaving = null;
    if (!dirty) return undefined;
    event.preventDefault();
    event.returnValue = "";  // older browsers need a value to show their dialog
    return "";
  });

  // Back from the bfcache: the page shows what it showed, the sent form is not being sent.
  window.addEventListener("pageshow", function () { leaving = null; });

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
