// The canteen roll call (community/meal_roll_call.html), without inline scripts:
// "all present" marks every elder at once, the counts follow each mark, and a
// search box narrows the list. Without JavaScript the "all present" link reloads
// the page with everyone marked, and the form still saves.
(function () {
  function form() {
    return document.querySelector("[data-roll-call]");
  }

  function updateCounts() {
    var roll = form();
    if (!roll) {
      return;
    }
    roll.querySelectorAll("[data-count]").forEach(function (badge) {
      var value = badge.getAttribute("data-count");
      badge.textContent = roll.querySelectorAll(
        'input[type=radio][value="' + value + '"]:checked'
      ).length;
    });
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-fill-all]");
    if (!button || !form()) {
      return;
    }
    event.preventDefault();
    var value = button.getAttribute("data-fill-all");
    form()
      .querySelectorAll('input[type=radio][value="' + value + '"]')
      .forEach(function (radio) {
        radio.checked = true;
      });
    updateCounts();
  });

  document.addEventListener("change", function (event) {
    if (event.target.matches("[data-roll-call] input[type=radio]")) {
      updateCounts();
    }
  });

  document.addEventListener("input", function (event) {
    if (!event.target.matches("[data-roll-filter]")) {
      return;
    }
    var needle = event.target.value.trim().toLowerCase();
    form()
      .querySelectorAll("tr[data-name]")
      .forEach(function (row) {
        var name = row.getAttribute("data-name").toLowerCase();
        row.hidden = needle !== "" && name.indexOf(needle) === -1;
      });
  });

  document.addEventListener("DOMContentLoaded", updateCounts);
})();
