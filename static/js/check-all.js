// «Отметить все»: a header checkbox with data-check-all="name" ticks every checkbox of
// that name in its form. Without JavaScript each school is ticked by hand.
(function () {
  document.querySelectorAll("input[data-check-all]").forEach(function (box) {
    var name = box.getAttribute("data-check-all");
    box.addEventListener("change", function () {
      box.form.querySelectorAll('input[type="checkbox"][name="' + name + '"]').forEach(
        function (item) { item.checked = box.checked; });
    });
  });
})();
