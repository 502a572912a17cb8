// Campaign wizard: job board fields appear and disappear as answers change (display rules,
// every operator of the provider's guides); a field whose suggestions depend on other fields
// forgets its pick when they change; the error summary takes the focus and its links move
// it to their field. Hidden fields are disabled so that they are not sent; the server
// applies the same rules (campaigns.services.requirements).
(function () {
  "use strict";

  function inputsOf(board, name) {
    return board.querySelectorAll("[data-facet=\"" + name + "\"]");
  }

  function valueOf(board, name) {
    var inputs = inputsOf(board, name);
    if (!inputs.length) { return null; }
    var first = inputs[0];
    if (first.type === "checkbox") {
      var checked = [];
      inputs.forEach(function (input) { if (input.checked && !input.disabled) { checked.push(input.value); } });
      return checked;
    }
    return first.disabled ? null : first.value;
  }

  // The facets the selected option(s) of facet `name` reveal (their `show` lists).
  function shownBy(board, name, value) {
    var inputs = inputsOf(board, name);
    if (!inputs.length || value === null) { return []; }
    var box = inputs[0].closest("[data-suggestions]");
    if (box) {
      try { return JSON.parse(box.querySelector("[data-typeahead-show]").value || "[]"); } catch (e) { return []; }
    }
    var shows = JSON.parse(inputs[0].getAttribute("data-option-shows") || "{}");
    var names = [];
    [].concat(value).forEach(function (key) { names = names.concat(shows[key] || []); });
    return names;
  }

  function isEmpty(value) {
    return value === null || value === "" || (Array.isArray(value) && value.length === 0);
  }

  function holds(board, facetName, rule) {
    var value = valueOf(board, rule.facet);
    var expected = rule.value;
    switch (rule.op) {
      case "equal": return value !== null && !Array.isArray(value) && String(value) === String(expected);
      case "in": return value !== null && !Array.isArray(value) && [].concat(expected).map(String).indexOf(String(value)) !== -1;
      case "notempty": return !isEmpty(value);
      case "contains": return Array.isArray(value) ? value.map(String).indexOf(String(expected)) !== -1 : value !== null && String(value) === String(expected);
      case "selected_option_show_contains": return !isEmpty(value) && shownBy(board, rule.facet, value).indexOf(facetName) !== -1;
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
        var name = input.getAttribute("data-facet");
        var show = rules.every(function (rule) { return holds(board, name, rule); });
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

  // A pick made for other values of the fields it depends on no longer holds.
  function forgetDependents(board, changedInput) {
    var name = changedInput.getAttribute("data-facet");
    if (!name) { return; }
    board.querySelectorAll("[data-depends-on]").forEach(function (input) {
      if (input.getAttribute("data-depends-on").split(" ").indexOf(name) === -1) { return; }
      var box = input.closest("[data-typeahead]");
      if (!box || !box.querySelector("[data-typeahead-value]").value) { return; }
      input.value = "";
      input.dispatchEvent(new Event("input", { bubbles: true }));
    });
  }

  document.querySelectorAll("[data-board]").forEach(function (board) {
    refresh(board);
    board.addEventListener("input", function () { refresh(board); });
    board.addEventListener("change", function (event) {
      forgetDependents(board, event.target);
      refresh(board);
    });
  });

  // Typing in a suggestion box is not enough: say so at the field as soon as the person
  // leaves it without picking, rather than only when the step is sent.
  function checkPicked(box) {
    var note = box.querySelector("[data-unpicked]");
    var input = box.querySelector("[data-typeahead-input]");
    var unpicked = input.value.trim() !== "" && !box.querySelector("[data-typeahead-value]").value;
    var message = box.getAttribute("data-unpicked-message");
    var said = document.getElementById(input.id + "_error");  // the server said it already
    note.textContent = unpicked && !(said && said.textContent.trim() === message) ? message : "";
    input.classList.toggle("is-invalid", unpicked);
    var described = (input.getAttribute("aria-describedby") || "").split(" ").filter(function (id) { return id && id !== note.id; });
    if (unpicked) { described.push(note.id); }
    if (described.length) { input.setAttribute("aria-describedby", described.join(" ")); } else { input.removeAttribute("aria-describedby"); }
  }

  document.addEventListener("focusout", function (event) {
    var box = event.target.closest ? event.target.closest("[data-suggestions]") : null;
    if (box && event.target.matches("[data-typeahead-input]")) { checkPicked(box); }
  });
  document.addEventListener("change", function (event) {
    var box = event.target.closest ? event.target.closest("[data-suggestions]") : null;
    if (box && event.target.matches("[data-typeahead-value]") && event.target.value) { checkPicked(box); }
  });

  var summary = document.querySelector("[data-error-summary]");
  if (summary) { summary.focus(); }
  document.addEventListener("click", function (event) {
    var link = event.target.closest ? event.target.closest("[data-error-link]") : null;
    if (!link) { return; }
    var field = document.getElementById(link.getAttribute("href").slice(1));
    if (!field) { return; }
    event.preventDefault();
    field.scrollIntoView({ block: "center" });
    field.focus();
  });
})();
