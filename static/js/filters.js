// On a phone the filter form starts folded (unless conditions are set), so the list is
// visible first; on a desktop it is always open. Without JavaScript it is simply open.
(function () {
  if (!window.matchMedia("(max-width: 720px)").matches) return;
  document.querySelectorAll("details[data-collapse-on-phone]").forEach(function (box) {
    if (!box.hasAttribute("data-filtered")) box.removeAttribute("open");
  });
})();
