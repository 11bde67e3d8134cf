// Small behaviours without inline scripts (the CSP forbids them).
document.addEventListener("change", function (event) {
  if (event.target.matches("[data-autosubmit]")) {
    event.target.form.submit();
  }
});
// A print button: the page's print stylesheet leaves the content only.
document.addEventListener("click", function (event) {
  if (event.target.closest("[data-print]")) {
    window.print();
  }
});

// Progress bars carry their width in data-width (the CSP forbids style attributes).
document.querySelectorAll(".progress-bar[data-width]").forEach(function (bar) {
  bar.style.width = Math.min(100, Number(bar.dataset.width) || 0) + "%";
});
