/* SDP Atlas — small enhancements. Every page works without this file. */
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  function ready(fn) {
    if (document.readyState !== "loading") fn();
    else document.addEventListener("DOMContentLoaded", fn);
  }

  /* Matrix: open a cell's evidence in a side panel instead of leaving the page. */
  function evidencePanel() {
    var table = document.getElementById("matrix");
    var dialog = document.getElementById("evidence-dialog");
    if (!table || !dialog || typeof dialog.showModal !== "function") return;
    var body = dialog.querySelector(".dialog-body");
    var opener = null;

    dialog.querySelector("[data-close]").addEventListener("click", function () { dialog.close(); });
    dialog.addEventListener("close", function () { if (opener) opener.focus(); });

    table.addEventListener("click", function (event) {
      var link = event.target.closest("td.cell a");
      if (!link || event.ctrlKey || event.metaKey || event.shiftKey || event.altKey || event.button !== 0) return;
      event.preventDefault();
      opener = link;
      body.textContent = "Loading the evidence…";
      dialog.showModal();
      fetch(link.href, { headers: { "Accept": "text/html" } })
        .then(function (response) {
          if (!response.ok) throw new Error(response.status + " " + response.statusText);
          return response.text();
        })
        .then(function (html) {
          var doc = new DOMParser().parseFromString(html, "text/html");
          var article = doc.getElementById("evidence");
          if (!article) throw new Error("no evidence in the page");
          var title = article.querySelector("h1");
          if (title) {
            var heading = document.createElement("h3");
            heading.className = "evidence-title";
            heading.textContent = title.textContent;
            title.replaceWith(heading);
          }
          article.querySelectorAll("h2").forEach(function (h) {
            var h3 = document.createElement("h3");
            h3.innerHTML = h.innerHTML;
            h3.id = h.id;
            h.replaceWith(h3);
          });
          article.removeAttribute("id");
          var more = document.createElement("p");
          var open = document.createElement("a");
          open.href = link.href;
          open.textContent = "Open this evidence as a page";
          more.appendChild(open);
          body.replaceChildren(document.importNode(article, true), more);
          dialog.querySelector("#evidence-dialog-title").textContent = link.title || "Evidence";
          body.focus();
        })
        .catch(function () { window.location.href = link.href; });
    });

    /* Arrow keys move between cells; Home/End to the row's ends. */
    table.addEventListener("keydown", function (event) {
      var link = event.target.closest("td.cell a");
      if (!link) return;
      var cell = link.parentElement;
      var row = cell.parentElement;
      var cells = Array.prototype.slice.call(row.querySelectorAll("td.cell"));
      var col = cells.indexOf(cell);
      var rows = Array.prototype.slice.call(table.tBodies[0].rows);
      var r = rows.indexOf(row);
      var target = null;
      if (event.key === "ArrowRight") target = cells[col + 1];
      else if (event.key === "ArrowLeft") target = cells[col - 1];
      else if (event.key === "ArrowDown" && rows[r + 1]) target = rows[r + 1].querySelectorAll("td.cell")[col];
      else if (event.key === "ArrowUp" && rows[r - 1]) target = rows[r - 1].querySelectorAll("td.cell")[col];
      else if (event.key === "Home") target = cells[0];
      else if (event.key === "End") target = cells[cells.length - 1];
      if (target) {
        event.preventDefault();
        target.querySelector("a").focus();
      }
    });
  }

  /* Compare: at most four partners can be ticked. */
  function compareLimit() {
    var form = document.querySelector("form.compare-form");
    if (!form) return;
    var max = parseInt(form.getAttribute("data-max"), 10) || 4;
    var boxes = form.querySelectorAll("input[name=partner]");
    function update() {
      var ticked = form.querySelectorAll("input[name=partner]:checked").length;
      boxes.forEach(function (box) { box.disabled = !box.checked && ticked >= max; });
    }
    boxes.forEach(function (box) { box.addEventListener("change", update); });
    update();
  }

  /* API docs: send a request from the "Try it" form and show the answer. */
  function tryIt() {
    document.querySelectorAll("form.try").forEach(function (form) {
      form.addEventListener("submit", function (event) {
        event.preventDefault();
        var path = form.getAttribute("data-path");
        var query = new URLSearchParams();
        var missing = false;
        form.querySelectorAll("input[name]").forEach(function (input) {
          var value = input.value.trim();
          if (input.getAttribute("data-in") === "path") {
            if (!value) missing = true;
            path = path.replace("{" + input.name + "}", encodeURIComponent(value));
          } else if (value) {
            value.split(",").forEach(function (part) { if (part.trim()) query.append(input.name, part.trim()); });
          }
        });
        var output = form.querySelector(".try-output");
        if (missing) { output.textContent = "Fill in the path parameters first."; return; }
        var url = path + (query.toString() ? "?" + query.toString() : "");
        output.textContent = "GET " + url + " …";
        fetch(url).then(function (response) {
          var type = response.headers.get("content-type") || "";
          return response.text().then(function (text) {
            if (type.indexOf("json") >= 0) {
              try { text = JSON.stringify(JSON.parse(text), null, 2); } catch (e) { /* keep as is */ }
            } else if (type.indexOf("text/") !== 0) {
              text = "(" + type + ", " + text.length + " bytes)";
            }
            var head = document.createElement("p");
            var link = document.createElement("a");
            link.href = url;
            link.textContent = "GET " + url;
            head.appendChild(link);
            head.appendChild(document.createTextNode(" → " + response.status + " " + type));
            var pre = document.createElement("pre");
            pre.textContent = text.length > 20000 ? text.slice(0, 20000) + "\n…" : text;
            output.replaceChildren(head, pre);
          });
        }).catch(function (error) { output.textContent = "Request failed: " + error; });
      });
    });
  }

  // Upload forms: refuse a file over the size limit before sending it.
  function uploadLimit() {
    document.querySelectorAll("input[type=file][data-max-bytes]").forEach(function (input) {
      input.addEventListener("change", function () {
        var max = Number(input.getAttribute("data-max-bytes"));
        var file = input.files && input.files[0];
        input.setCustomValidity(file && file.size > max ?
          "This file is " + file.size + " bytes; at most " + max + " are accepted." : "");
        input.reportValidity();
      });
    });
  }

  // The coder's proposal: following an evidence link lights up that area's passages.
  function evidenceFocus() {
    var text = document.getElementById("doc-text");
    if (!text) return;
    document.querySelectorAll(".evidence-list a[href^='#ev-']").forEach(function (link) {
      link.addEventListener("click", function () {
        var area = link.getAttribute("href").split("-")[1];
        text.querySelectorAll("mark.is-focus").forEach(function (m) {
          m.classList.remove("is-focus");
        });
        text.querySelectorAll("mark.ev").forEach(function (m) {
          if ((m.getAttribute("data-areas") || "").split(" ").indexOf(area) >= 0) {
            m.classList.add("is-focus");
          }
        });
      });
    });
  }

  // Sortable tables: a button in each column heading sorts by that column (aria-sort).
  function sortKey(cell, numeric) {
    var raw = cell.hasAttribute("data-sort") ? cell.getAttribute("data-sort") : cell.textContent.trim();
    if (!numeric && !cell.hasAttribute("data-sort")) return raw;
    var n = parseFloat(raw.replace("\u2212", "-"));
    return isNaN(n) ? -Infinity : n;
  }

  function sortBy(table, heads, th, col) {
    var ascending = th.getAttribute("aria-sort") !== "ascending";
    heads.forEach(function (h) { h.removeAttribute("aria-sort"); });
    th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
    var numeric = th.classList.contains("num");
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    rows.sort(function (x, y) {
      var a = sortKey(x.cells[col], numeric), b = sortKey(y.cells[col], numeric);
      var c = (typeof a === "number" && typeof b === "number") ? a - b :
        String(a).localeCompare(String(b), undefined, { numeric: true });
      return ascending ? c : -c;
    });
    rows.forEach(function (r) { body.appendChild(r); });
  }

  function sortableTables() {
    document.querySelectorAll("table.sortable").forEach(function (table) {
      if (!table.tHead || !table.tBodies.length) return;
      var heads = Array.prototype.slice.call(table.tHead.rows[0].cells);
      heads.forEach(function (th, col) {
        var button = document.createElement("button");
        button.type = "button";
        button.className = "sort-button";
        while (th.firstChild) button.appendChild(th.firstChild);
        th.appendChild(button);
        button.addEventListener("click", function () { sortBy(table, heads, th, col); });
      });
    });
  }

  // Charts: hovering a mark dims the marks of other partners and areas.
  function markKey(el) {
    var a = el.closest("[data-a]"), p = el.closest("[data-p]");
    return { a: a ? a.getAttribute("data-a") : null,
             p: p ? p.getAttribute("data-p").split(" ") : [] };
  }

  function chartHighlight() {
    document.querySelectorAll("svg.svgchart").forEach(function (svg) {
      var all = Array.prototype.slice.call(svg.querySelectorAll("[data-a], [data-p]"));
      var leaves = all.filter(function (m) { return !m.querySelector("[data-a], [data-p]"); });
      function clear() { leaves.forEach(function (m) { m.classList.remove("lo"); }); }
      svg.addEventListener("mouseover", function (event) {
        var mark = event.target.closest("[data-a], [data-p]");
        if (!mark) { clear(); return; }
        var k = markKey(mark);
        leaves.forEach(function (m) {
          var o = markKey(m);
          var same = (k.a !== null && o.a === k.a) ||
            o.p.some(function (p) { return k.p.indexOf(p) >= 0; });
          m.classList.toggle("lo", !same);
        });
      });
      svg.addEventListener("mouseleave", clear);
    });
  }

  // A dated answer is the same over a period and is given as of its first day (the page's
  // data-as-of); the date picker keeps the day the reader chose (from the address), and a
  // note says why the page names another day.
  var MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
    "September", "October", "November", "December"];

  function longDate(iso) {
    var p = iso.split("-");
    return parseInt(p[2], 10) + " " + MONTHS[parseInt(p[1], 10) - 1] + " " + p[0];
  }

  function askedDate() {
    var asked = new URLSearchParams(window.location.search).get("as_of");
    if (!asked || !/^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/.test(asked)) return;
    document.querySelectorAll("input[type='date'][name='as_of']").forEach(function (input) {
      input.value = asked;
    });
    var main = document.getElementById("main");
    var shown = main ? main.getAttribute("data-as-of") : null;
    if (!shown || shown === asked) return;
    var first = asked < shown ? asked : shown, last = asked < shown ? shown : asked;
    var note = document.createElement("p");
    note.className = "note dated-note";
    note.setAttribute("role", "note");
    note.textContent = "You asked for " + longDate(asked) + ". Nothing this page draws on " +
      "changes between " + longDate(first) + " and " + longDate(last) + ", so it is given " +
      "as of " + longDate(shown) + ": the answer is the same for both days.";
    main.insertBefore(note, main.firstChild);
    document.querySelectorAll("a[href*='as_of=" + shown + "']").forEach(function (link) {
      var url = new URL(link.href, window.location.href);
      if (url.origin !== window.location.origin || url.searchParams.get("as_of") !== shown) return;
      url.searchParams.set("as_of", asked);  // links go on with the day the reader chose
      link.href = url.pathname + url.search + url.hash;
    });
  }

  ready(function () {
    askedDate();
    sortableTables();
    chartHighlight();
    evidencePanel();
    compareLimit();
    tryIt();
    uploadLimit();
    evidenceFocus();
  });
})();
