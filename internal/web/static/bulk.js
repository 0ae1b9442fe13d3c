// Netra: the employee list's bulk bar. The form works without this file
// (tick rows, or choose "all on this page" / "all matching"; type a unit's
// code or name); this adds a "tick all on this page" box and unit
// suggestions from GET /api/v1/units.
(function () {
  "use strict";
  var form = document.getElementById("bulk");
  if (!form) { return; }
  var boxes = document.querySelectorAll('input.pick[form="bulk"]');
  var first = document.querySelector("table.names thead th");
  if (first && boxes.length) {
    var all = document.createElement("input");
    all.type = "checkbox";
    all.className = "pick";
    all.setAttribute("aria-label", form.getAttribute("data-tick-page") || "");
    first.insertBefore(all, first.firstChild);
    first.insertBefore(document.createTextNode(" "), all.nextSibling);
    all.addEventListener("change", function () {
      boxes.forEach(function (b) { b.checked = all.checked; });
    });
  }
  // Ticking a row means "those ticked".
  boxes.forEach(function (b) {
    b.addEventListener("change", function () {
      var r = form.querySelector('input[name="pilih"][value="centang"]');
      if (r) { r.checked = true; }
    });
  });
  // Choosing a new status means the status action.
  var st = form.querySelector('select[name="status_baru"]');
  if (st) {
    st.addEventListener("change", function () {
      var r = form.querySelector('input[name="aksi"][value="status"]');
      if (r) { r.checked = true; }
    });
  }
  var input = form.querySelector("input[data-unit-search]");
  var list = document.getElementById("unit-list");
  if (!input || !list) { return; }
  var tenant = input.getAttribute("data-unit-search");
  var timer = 0, last = "";
  input.addEventListener("input", function () {
    var r = form.querySelector('input[name="aksi"][value="pindah"]');
    if (r) { r.checked = true; }
    clearTimeout(timer);
    timer = setTimeout(function () {
      var q = input.value.trim();
      if (q.length < 2 || q === last) { return; }
      last = q;
      var url = "/api/v1/units?writable=true&limit=20&q=" + encodeURIComponent(q);
      if (tenant && tenant !== "0") { url += "&tenant_id=" + encodeURIComponent(tenant); }
      fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
        .then(function (res) { if (!res.ok) { throw new Error(res.status); } return res.json(); })
        .then(function (data) {
          while (list.firstChild) { list.removeChild(list.firstChild); }
          (data.items || []).forEach(function (u) {
            var o = document.createElement("option");
            o.value = u.code;
            o.label = u.name;
            o.textContent = u.name;
            list.appendChild(o);
          });
        })
        .catch(function () {});
    }, 250);
  });
})();
