// Netra: progressive enhancement only. Every page works without this file.
(function () {
  "use strict";

  document.documentElement.classList.add("js");

  // A form that failed validation is shown at its POST address; swap the
  // address for the form's GET one so that reload does not post again.
  var replace = document.body.getAttribute("data-replace-url");
  if (replace && window.history && history.replaceState) {
    history.replaceState(null, "", replace);
  }

  // Phone menu: the button opens and closes the navigation list.
  var toggle = document.querySelector(".menu-toggle");
  if (toggle) {
    toggle.addEventListener("click", function () {
      toggle.setAttribute("aria-expanded", toggle.getAttribute("aria-expanded") === "true" ? "false" : "true");
    });
  }

  // Move focus to the error summary so screen readers announce it.
  var summary = document.getElementById("error-summary");
  if (summary) { summary.focus(); }

  // Ask before destructive actions: <form data-confirm="Message">.
  document.querySelectorAll("form[data-confirm]").forEach(function (f) {
    f.addEventListener("submit", function (e) {
      if (!window.confirm(f.getAttribute("data-confirm"))) { e.preventDefault(); }
    });
  });

  // Import progress: poll the API every second and update the bar and the
  // counts; reload when the import has ended (or its preview is ready) to
  // show the result page.
  var box = document.querySelector("[data-poll]");
  if (!box) { return; }
  var url = box.getAttribute("data-poll");
  var lang = document.documentElement.lang === "en" ? "en-GB" : "id-ID";
  var fmt = new Intl.NumberFormat(lang);
  var bar = box.querySelector("progress");
  var pct = box.querySelector("[data-percent]");
  function update(im) {
    var p = Math.round((im.progress || 0) * 100);
    if (bar) { bar.value = p; }
    if (pct) { pct.textContent = p + "%"; }
    ["rows_read", "inserted", "updated", "unchanged", "rejected"].forEach(function (k) {
      var el = box.querySelector('[data-field="' + k + '"]');
      if (el && typeof im[k] === "number") { el.textContent = fmt.format(im[k]); }
    });
    if (im.status !== "queued" && im.status !== "running") { window.location.reload(); return false; }
    return true;
  }
  function tick() {
    fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (r) { if (!r.ok) { throw new Error(r.status); } return r.json(); })
      .then(function (im) { if (update(im)) { setTimeout(tick, 1000); } })
      .catch(function () { setTimeout(tick, 3000); });
  }
  setTimeout(tick, 1000);
})();
