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

