// Campaign wizard: job board fields appear and disappear as answers change (display rules).
// Hidden fields are disabled so that they are not sent; the server applies the same rules.
(function () {
  "use strict";

  function valueOf(board, name) {
    var inputs = board.querySelectorAll("[data-facet=\"" + name + "\"]");
    if (!inputs.length) { return null; }
    var first = inputs[0];
    if (first.type === "checkbox") {
      var checked = [];
      inputs.forEach(function (input) { if (input.checked && !input.disabled) { checked.push(input.value); } });
      return checked;
    }
    return first.disabled ? null : first.value;
  }

  function isEmpty(value) {
    return value === null || value === "" || (Array.isArray(value) && value.length === 0);
  }

  function holds(rule, value) {
    var expected = rule.value;
    switch (rule.op) {
      case "equal": return value !== null && !Array.isArray(value) && String(value) === String(expected);
      case "in": return value !== null && [].concat(expected).map(String).indexOf(String(value)) !== -1;
      case "notempty": return !isEmpty(value);
      case "contains": return Array.isArray(value) ? value.map(String).indexOf(String(expected)) !== -1 : value !== null && String(value) === String(expected);
      default: return false;
    }
  }

  function refresh(board) {
    // Repeat so that a field depending on a field that just got hidden follows it.
    for (var pass = 0; pass < 5; pass++) {
      var changed = false;
      board.querySelectorAll("[data-display-rules]").forEach(function (input) {
        var wrapper = input.closest("[data-field-wrapper]");
        if (!wrapper || wrapper.dataset.evaluated === String(pass)) { return; }
        wrapper.dataset.evaluated = String(pass);
        var rules = JSON.parse(input.getAttribute("data-display-rules"));
        var show = rules.every(function (rule) { return holds(rule, valueOf(board, rule.facet)); });
        if (wrapper.hidden === show) {
          wrapper.hidden = !show;
          wrapper.querySelectorAll("input, select, textarea").forEach(function (el) { el.disabled = !show; });
          changed = true;
        }
      });
      board.querySelectorAll("[data-field-wrapper]").forEach(function (w) { delete w.dataset.evaluated; });
      if (!changed) { break; }
    }
  }

  document.querySelectorAll("[data-board]").forEach(function (board) {
    refresh(board);
    board.addEventListener("input", function () { refresh(board); });
    board.addEventListener("change", function () { refresh(board); });
  });
})();
