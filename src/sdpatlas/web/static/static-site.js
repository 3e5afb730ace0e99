/* SDP Atlas static site: a filter form opens the ready-made view matching its choices. */
(function () {
  "use strict";

  function key(pairs) {
    return pairs.map(function (pair) { return pair[0] + "=" + pair[1]; }).join("&");
  }

  function byName(a, b) { return a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0; }

  function byNameValue(a, b) { return byName(a, b) || (a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0); }

  function chosen(form) {
    var defaults = JSON.parse(form.getAttribute("data-defaults") || "{}");
    var pairs = [];
    new FormData(form).forEach(function (value, name) {
      if (typeof value === "string" && value !== "" && defaults[name] !== value) pairs.push([name, value]);
    });
    return pairs;
  }

  function open(form, event) {
    var variants = JSON.parse(form.getAttribute("data-variants") || "{}");
    var pairs = chosen(form);
    var stable = pairs.map(function (pair, i) { return [pair, i]; });
    stable.sort(function (a, b) { return byName(a[0], b[0]) || a[1] - b[1]; });
    var target = variants[key(stable.map(function (item) { return item[0]; }))] ||
      variants[key(pairs.slice().sort(byNameValue))];
    if (target) {
      event.preventDefault();
      window.location.href = target;
    }
  }

  document.querySelectorAll("form[data-variants]").forEach(function (form) {
    form.addEventListener("submit", function (event) { open(form, event); });
  });
})();
