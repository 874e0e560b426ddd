/* Filter findings by family, kind and severity. Plain script, no libraries; without it every
   finding stays visible. Highlights and list rows carry data-m="family:kind:severity ...". */
(function () {
  "use strict";
  var form = document.getElementById("filters");
  if (!form) { return; }
  form.hidden = false;
  function checked(name) {
    var out = {};
    form.querySelectorAll("input[name=" + name + "]").forEach(function (i) { if (i.checked) { out[i.value] = true; } });
    return out;
  }
  function apply() {
    var fam = checked("family"), kind = checked("kind"), sev = checked("severity");
    var pass = function (tok) { var p = tok.split(":"); return fam[p[0]] && kind[p[1]] && sev[p[2]]; };
    document.querySelectorAll("[data-m]").forEach(function (el) {
      var keep = el.getAttribute("data-m").split(" ").filter(pass);
      el.classList.toggle("filtered", keep.length === 0);
      if (el.classList.contains("hl")) { el.setAttribute("data-fam", keep.length ? keep[0].split(":")[0] : ""); }
    });
    // pages with a findings list count findings; story pages count the marked spans
    var rows = document.querySelectorAll(".frow"), what = "findings";
    if (!rows.length) { rows = document.querySelectorAll(".hl"); what = "marked spans"; }
    var shown = 0;
    rows.forEach(function (r) { if (!r.classList.contains("filtered")) { shown += 1; } });
    var out = document.getElementById("filter-count");
    if (out) { out.textContent = shown + " of " + rows.length + " " + what + " shown"; }
    var noise = document.getElementById("show-noise");
    document.body.classList.toggle("hide-noise", !!noise && !noise.checked);
    var unique = document.getElementById("show-unique");
    document.body.classList.toggle("hide-unique", !!unique && !unique.checked);
  }
  form.addEventListener("change", apply);
  form.addEventListener("click", function (ev) {
    var b = ev.target.closest("button");
    if (!b) { return; }
    var only = b.getAttribute("data-only");
    form.querySelectorAll("input[type=checkbox]").forEach(function (i) {
      if (only === null) { i.checked = true; }
      else if (i.name === only.split("=")[0]) { i.checked = (i.value === only.split("=")[1]); }
      else if (i.name) { i.checked = true; }
    });
    apply();
  });
  apply();
}());
