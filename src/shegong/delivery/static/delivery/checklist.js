// Searchable checklists of residents (delivery/_checklist.html), without inline scripts.
document.addEventListener("input", function (event) {
  var box = event.target;
  if (!box.matches("[data-filter-list]")) {
    return;
  }
  var list = document.getElementById(box.getAttribute("data-filter-list"));
  var needle = box.value.trim().toLowerCase();
  list.querySelectorAll("[data-filter-text]").forEach(function (item) {
    var text = item.getAttribute("data-filter-text").toLowerCase();
    item.hidden = needle !== "" && text.indexOf(needle) === -1;
  });
});

// Keep the count of ticked people beside each checklist's title.
document.addEventListener("change", function (event) {
  var box = event.target;
  var list = box.closest(".checklist");
  if (!list || box.type !== "checkbox") {
    return;
  }
  var badge = document.querySelector('[data-ticked-count="' + list.id + '"]');
  if (badge) {
    badge.textContent = list.querySelectorAll("input[type=checkbox]:checked").length;
  }
});


// A resident ticked among the results of a name look-up moves to the chosen list
// (data-move-ticked-to), so that the next look-up does not drop them.
document.addEventListener("change", function (event) {
  var box = event.target;
  var results = box.closest("[data-move-ticked-to]");
  if (!results || box.type !== "checkbox" || !box.checked) {
    return;
  }
  var target = document.getElementById(results.getAttribute("data-move-ticked-to"));
  var row = box.closest(".form-check");
  var label = row.querySelector("label");
  box.id = target.id + "-" + box.value;
  label.htmlFor = box.id;
  target.appendChild(row);
  var badge = document.querySelector('[data-ticked-count="' + target.id + '"]');
  if (badge) {
    badge.textContent = target.querySelectorAll("input[type=checkbox]:checked").length;
  }
});

// Enter in a look-up field searches (htmx) instead of sending the whole form.
document.addEventListener("keydown", function (event) {
  var field = event.target;
  if (event.key === "Enter" && field.matches("[data-lookup]") && window.htmx) {
    event.preventDefault();
    window.htmx.trigger(field, "lookup");
  }
});
