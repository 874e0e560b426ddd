/* Index: the documents table filtered, sorted and paged in the browser from #docs-data (one
   compact array per document). Only one page of rows is ever in the DOM, so 10,000 documents
   load and filter at once. Text goes in through textContent only. */
(function () {
  "use strict";
  var form = document.getElementById("doc-filters"), src = document.getElementById("docs-data");
  var table = document.getElementById("docs-table");
  if (!form || !src || !table) { return; }
  var D = JSON.parse(src.textContent), C = {};
  D.cols.forEach(function (c, i) { C[c] = i; });
  var PAGE = 50, page = 0, shown = [];
  var body = table.tBodies[0], count = document.getElementById("doc-count"), where = document.getElementById("doc-page");
  form.hidden = false;
  document.querySelectorAll(".no-js").forEach(function (e) { e.hidden = true; });
  var lower = D.rows.map(function (r) { return (r[C.id] + " " + r[C.outlet] + " " + r[C.title]).toLowerCase(); });

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) { e.className = cls; }
    if (text !== undefined) { e.textContent = text; }
    return e;
  }
  function num(n) { return Number(n).toLocaleString("en-US"); }
  function td(text, cls) { return el("td", cls, text); }

  function row(r) {
    var tr = el("tr"), first = el("td"), a = el("a", "", r[C.id]);
    a.href = "doc-" + r[C.slug] + ".html";
    first.appendChild(a);
    if (r[C.title]) { first.appendChild(el("br")); var t = el("span", "muted", r[C.title]); t.dir = "auto"; first.appendChild(t); }
    tr.appendChild(first);
    var o = r[C.outlet] ? td(r[C.outlet]) : el("td"); o.dir = "auto"; tr.appendChild(o);
    if (!r[C.outlet]) { var u = el("span", "muted", "–"); u.title = "no outlet named by the source or the article"; o.appendChild(u); }
    tr.appendChild(td(r[C.date] || "–"));
    var lang = el("td");
    if (r[C.src]) { lang.textContent = r[C.src] + (r[C.prov] ? " " : ""); if (r[C.prov]) { lang.appendChild(el("span", "muted", "(" + r[C.prov] + ")")); } }
    else { lang.appendChild(el("span", "muted", r[C.lang] || "–")); }
    tr.appendChild(lang);
    var w = td(num(r[C.cw]), "num"); w.appendChild(el("span", "muted", " / " + num(r[C.w]))); tr.appendChild(w);
    tr.appendChild(td(r[C.noise] + "%", "num"));
    D.fams.forEach(function (f) { tr.appendChild(td(String(r[C["f:" + f]]), "num")); });
    var sev = el("td");
    [["e", "error"], ["wa", "warning"], ["i", "info"]].forEach(function (p) {
      if (r[C[p[0]]]) { sev.appendChild(el("span", "badge sev-" + p[1], r[C[p[0]]] + " " + p[1])); sev.appendChild(document.createTextNode(" ")); }
    });
    tr.appendChild(sev);
    var sc = el("td", "num"); sc.appendChild(el("b", "", r[C.score] < 0 ? "–" : String(r[C.score]))); tr.appendChild(sc);
    return tr;
  }

  var sorts = {
    score: function (a, b) { return D.rows[b][C.score] - D.rows[a][C.score] || D.rows[b][C.e] - D.rows[a][C.e]; },
    e: function (a, b) { return D.rows[b][C.e] - D.rows[a][C.e] || D.rows[b][C.wa] - D.rows[a][C.wa]; },
    order: function (a, b) { return a - b; },
    outlet: function (a, b) { return D.rows[a][C.outlet].localeCompare(D.rows[b][C.outlet]) || a - b; },
    date: function (a, b) { return D.rows[a][C.date].localeCompare(D.rows[b][C.date]) || a - b; }
  };

  function filter() {
    var q = form.q.value.trim().toLowerCase(), sev = form.sev.value, fam = form.fam.value, tr = form.tr.checked;
    shown = [];
    for (var i = 0; i < D.rows.length; i += 1) {
      var r = D.rows[i], any = r[C.e] + r[C.wa] + r[C.i];
      if (q && lower[i].indexOf(q) < 0) { continue; }
      if (sev === "e" && !r[C.e]) { continue; }
      if (sev === "w" && !(r[C.e] + r[C.wa])) { continue; }
      if (sev === "any" && !any) { continue; }
      if (sev === "none" && any) { continue; }
      if (fam && !r[C["f:" + fam]]) { continue; }
      if (tr && !r[C.src]) { continue; }
      shown.push(i);
    }
    shown.sort(sorts[form.sort.value] || sorts.score);
    page = 0;
    draw();
  }

  function draw() {
    var pages = Math.max(1, Math.ceil(shown.length / PAGE));
    page = Math.min(Math.max(page, 0), pages - 1);
    var frag = document.createDocumentFragment();
    shown.slice(page * PAGE, page * PAGE + PAGE).forEach(function (i) { frag.appendChild(row(D.rows[i])); });
    body.replaceChildren(frag);
    count.textContent = shown.length + " of " + D.rows.length + " documents";
    where.textContent = "page " + (page + 1) + " of " + pages;
    form.querySelector("[data-page='-1']").disabled = page === 0;
    form.querySelector("[data-page='1']").disabled = page >= pages - 1;
  }

  form.addEventListener("input", filter);
  form.addEventListener("change", filter);
  form.addEventListener("submit", function (ev) { ev.preventDefault(); });
  form.addEventListener("click", function (ev) {
    var b = ev.target.closest("button[data-page]");
    if (!b) { return; }
    page += Number(b.getAttribute("data-page"));
    draw();
  });
  filter();
}());
