/* Story page: choose the outlets shown side by side. The server renders the default columns
   (the reading text and the outlets that differ most); choosing others rebuilds the table from
   the page's own JSON (#story-data: each outlet's sentences as [group, text, noise, marked
   segments], its findings for the marks' tooltips, texts stored once), with the same row rules as the server: a row per statement that two chosen outlets
   share, each outlet's other sentences in the gap after the last shared one before them.
   Text goes in through textContent only. */
(function () {
  "use strict";
  var form = document.getElementById("picker"), src = document.getElementById("story-data");
  var holder = document.getElementById("columns-table");
  if (!form || !src || !holder) { return; }
  var D = JSON.parse(src.textContent);
  form.hidden = false;
  var list = form.querySelector(".picker-list"), max = Number(list.getAttribute("data-max")) || 6;
  var note = document.getElementById("picker-note");
  var order = [];
  list.querySelectorAll("input").forEach(function (i) { if (i.checked) { order.push(i.value); } });
  var filter = document.getElementById("picker-filter");
  filter.addEventListener("input", function () {
    var q = filter.value.toLowerCase();
    list.querySelectorAll("label").forEach(function (l) {
      l.hidden = q !== "" && l.textContent.toLowerCase().indexOf(q) < 0;
    });
  });
  list.addEventListener("change", function (ev) {
    var box = ev.target;
    if (box.checked) {
      order.push(box.value);
      if (order.length > max) {
        var out = order.shift();
        list.querySelector("input[value='" + out + "']").checked = false;
      }
    } else {
      order = order.filter(function (v) { return v !== box.value; });
    }
    render(order.map(Number));
  });

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) { e.className = cls; }
    if (text !== undefined) { e.textContent = text; }
    return e;
  }

  function cell(d, sents) {
    var td = el("td", sents.length ? "" : "blank"), p = null, noise = null;
    sents.forEach(function (s) {
      var isNoise = s[2] === 1;
      if (!p || noise !== isNoise) {
        p = el("p", isNoise ? "noise-block" : "block");
        p.dir = "auto";
        td.appendChild(p);
        noise = isNoise;
      } else {
        p.appendChild(document.createTextNode(" "));
      }
      if (s[3]) { s[3].forEach(function (g) { p.appendChild(seg(d, g)); }); }
      else { p.appendChild(el("span", isNoise ? "noise" : "", D.t[s[1]])); }
    });
    return td;
  }

  function cls(v) { return String(v).toLowerCase().replace(/[^a-z0-9_-]+/g, "-").replace(/^-+|-+$/g, ""); }

  /* One marked segment [text, [finding indices], noise] of outlet d, as the server marks it:
     the span carries the filter token (data-m) and a tooltip of its findings. */
  function seg(d, g) {
    var text = D.t[g[0]], fs = g[1].map(function (i) { return d.f[i]; });
    if (!fs.length) { return g[2] === 1 ? el("span", "noise", text) : document.createTextNode(text); }
    var span = el("span", "hl sev-" + cls(fs[0][0]) + (g[2] === 1 ? " noise" : "") + (fs.length > 1 ? " multi" : ""), text);
    span.setAttribute("data-fam", cls(fs[0][2]));
    span.setAttribute("data-m", fs.map(function (f) { return f[2] + ":" + f[1] + ":" + f[0]; }).join(" "));
    span.tabIndex = 0;
    var tip = el("span", "tip");
    tip.setAttribute("role", "tooltip");
    fs.forEach(function (f) {
      var item = el("span", "t-item");
      item.appendChild(el("span", "badge sev-" + cls(f[0]), f[0]));
      item.appendChild(document.createTextNode(" "));
      item.appendChild(el("b", "", f[1]));
      item.appendChild(document.createTextNode(" (" + f[2] + "): " + D.t[f[3]]));
      if (D.t[f[4]]) {
        var sg = el("span", "t-sugg", "Suggestion: ");
        sg.appendChild(el("b", "", D.t[f[4]]));
        item.appendChild(sg);
      }
      if (D.t[f[5]]) { item.appendChild(el("span", "t-ev", D.t[f[5]])); }
      item.appendChild(el("span", "t-ev", f[6] + " · " + d.label + " #" + f[7]));
      tip.appendChild(item);
    });
    span.appendChild(tip);
    return span;
  }

  function render(sel) {
    var docs = sel.map(function (k) { return D.docs[k]; });
    var carriers = {};
    docs.forEach(function (d) {
      var seen = {};
      d.s.forEach(function (s) {
        if (s[0] >= 0 && !seen[s[0]]) { seen[s[0]] = true; carriers[s[0]] = (carriers[s[0]] || 0) + 1; }
      });
    });
    var rows = {};
    docs.forEach(function (d, c) {
      var gap = -1;
      d.s.forEach(function (s) {
        var key;
        if (s[0] >= 0 && carriers[s[0]] >= 2) { key = "g" + s[0]; gap = Math.max(gap, s[0]); } else { key = "u" + gap; }
        if (!rows[key]) { rows[key] = docs.map(function () { return []; }); }
        rows[key][c].push(s);
      });
    });
    var table = el("table", "story"), head = el("tr"), body = el("tbody"), aligned = 0;
    var gutHead = el("th", "gut", "row");
    gutHead.scope = "col";
    head.appendChild(gutHead);
    docs.forEach(function (d) {
      var th = el("th"), a = el("a", "", d.label);
      th.scope = "col"; th.dir = "auto"; a.href = d.href;
      th.appendChild(a);
      th.appendChild(el("br"));
      th.appendChild(el("span", "muted", (d.date || "no date") + " · " + d.n + " findings"));
      head.appendChild(th);
    });
    var thead = el("thead");
    thead.appendChild(head);
    table.appendChild(thead);
    function add(kind, cells) {
      var tr = el("tr", kind);
      var gut = el("td", "gut");
      gut.appendChild(el("abbr", "", kind === "aligned" ? "≡" : "·"));
      gut.firstChild.title = kind === "aligned" ? "aligned: these sentences say the same thing" : "not aligned with the other outlets shown";
      tr.appendChild(gut);
      cells.forEach(function (c, k) { tr.appendChild(cell(docs[k], c)); });
      body.appendChild(tr);
    }
    for (var g = -1; g < D.groups; g += 1) {
      if (g >= 0 && rows["g" + g]) { add("aligned", rows["g" + g]); aligned += 1; }
      if (rows["u" + g]) { add("unique", rows["u" + g]); }
    }
    table.appendChild(body);
    holder.replaceChildren(table);
    if (note) {
      note.textContent = docs.length + " outlets side by side, " + aligned + " shared statements.";
    }
    var filters = document.getElementById("filters");   // new marks follow the chosen filters
    if (filters) { filters.dispatchEvent(new Event("change")); }
  }
}());
