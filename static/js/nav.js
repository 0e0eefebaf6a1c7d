// The main menu: one group's list open at a time (closed by a click elsewhere or Escape),
// and on a phone the whole menu behind the «Меню» button. Without JavaScript the menu is
// shown expanded and every group still opens as a <details> element.
(function () {
  "use strict";
  document.documentElement.classList.add("js");
  var nav = document.getElementById("mainnav");
  var toggle = document.querySelector(".navtoggle");
  if (!nav) return;
  var groups = nav.querySelectorAll("details.navgroup");
  function closeGroups(except) {
    groups.forEach(function (group) { if (group !== except) group.open = false; });
  }
  groups.forEach(function (group) {
    group.addEventListener("toggle", function () { if (group.open) closeGroups(group); });
  });
  document.addEventListener("click", function (event) {
    if (nav.contains(event.target) || (toggle && toggle.contains(event.target))) return;
    closeGroups(null);
  });
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    var open = nav.querySelector("details.navgroup[open]");
    if (open) {
      open.open = false;
      open.querySelector("summary").focus();
    } else if (toggle && nav.classList.contains("mainnav--open")) {
      setOpen(false);
      toggle.focus();
    }
  });
  function setOpen(open) {
    nav.classList.toggle("mainnav--open", open);
    toggle.setAttribute("aria-expanded", open ? "true" : "false");
    if (open) {  // the current page's group opened on a phone: the way back is in sight
      var current = nav.querySelector("details.navgroup .is-current");
      if (current) current.parentNode.open = true;
    }
  }
  if (toggle) {
    toggle.addEventListener("click", function () {
      setOpen(!nav.classList.contains("mainnav--open"));
    });
  }
})();
