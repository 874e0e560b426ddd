/* Story page: choose the outlets shown side by side. The server renders the default columns
   (the reading text and the outlets that differ most); choosing others rebuilds the table from
   the page's own JSON (#story-data: each outlet's sentences as [group, text, noise], texts stored
   once), with the same row rules as the server: a row per statement that two chosen outlets
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

  function cell(sents) {
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
      p.appendChild(el("span", isNoise ? "noise" : "", D.t[s[1]]));
    });
    return td;
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
      cells.forEach(function (c) { tr.appendChild(cell(c)); });
      body.appendChild(tr);
    }
    for (var g = -1; g < D.groups; g += 1) {
      if (g >= 0 && rows["g" + g]) { add("aligned", rows["g" + g]); aligned += 1; }
      if (rows["u" + g]) { add("unique", rows["u" + g]); }
    }
    table.appendChild(body);
    holder.replaceChildren(table);
    if (note) {
      note.textContent = docs.length + " outlets side by side, " + aligned +
        " shared statements; findings are marked on each outlet's own page.";
    }
  }
}());
