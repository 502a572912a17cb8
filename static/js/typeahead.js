// A type-ahead filter: a search box (role=combobox) whose suggestions the server sends as
// the admin types (htmx swaps them into [data-typeahead-options]); picking one puts its
// label in the box and its value in the hidden [data-typeahead-value] input. Typing again
// forgets the pick, so the box and the hidden value never disagree.
(function () {
  "use strict";

  function partsOf(element) {
    var box = element && element.closest ? element.closest("[data-typeahead]") : null;
    if (!box) { return null; }
    return {
      input: box.querySelector("[data-typeahead-input]"),
      value: box.querySelector("[data-typeahead-value]"),
      results: box.querySelector("[data-typeahead-options]"),
      show: box.querySelector("[data-typeahead-show]"),
    };
  }

  function optionsOf(parts) {
    return Array.prototype.slice.call(parts.results.querySelectorAll("[role=option]"));
  }

  function activate(parts, index) {
    var options = optionsOf(parts);
    options.forEach(function (option, i) {
      option.setAttribute("aria-selected", i === index ? "true" : "false");
      option.classList.toggle("active", i === index);
    });
    if (index >= 0 && options[index]) {
      parts.input.setAttribute("aria-activedescendant", options[index].id);
      options[index].scrollIntoView({ block: "nearest" });
    } else {
      parts.input.removeAttribute("aria-activedescendant");
    }
  }

  function close(parts) {
    parts.results.replaceChildren();
    parts.input.setAttribute("aria-expanded", "false");
    parts.input.removeAttribute("aria-activedescendant");
  }

  // Listeners (display rules, dependent fields) hear of a new or forgotten pick.
  function changed(parts) {
    parts.value.dispatchEvent(new Event("change", { bubbles: true }));
  }

  function pick(parts, option) {
    parts.input.value = option.textContent.trim();
    parts.value.value = option.getAttribute("data-value");
    if (parts.show) {
      var shows = (option.getAttribute("data-show") || "").split(" ").filter(Boolean);
      parts.show.value = JSON.stringify(shows);
    }
    close(parts);
    parts.input.focus();
    changed(parts);
  }

  document.addEventListener("input", function (event) {
    var parts = partsOf(event.target);
    if (parts && event.target === parts.input && parts.value.value) {
      parts.value.value = "";
      if (parts.show) { parts.show.value = "[]"; }
      changed(parts);
    }
  });

  document.addEventListener("keydown", function (event) {
    var parts = partsOf(event.target);
    if (!parts || event.target !== parts.input) { return; }
    var options = optionsOf(parts);
    var current = options.findIndex(function (o) { return o.getAttribute("aria-selected") === "true"; });
    if (event.key === "ArrowDown" && options.length) {
      event.preventDefault();
      activate(parts, Math.min(current + 1, options.length - 1));
    } else if (event.key === "ArrowUp" && options.length) {
      event.preventDefault();
      activate(parts, Math.max(current - 1, 0));
    } else if (event.key === "Enter" && current >= 0) {
      event.preventDefault(); // pick the suggestion; the next Enter submits the form
      pick(parts, options[current]);
    } else if (event.key === "Escape" && options.length) {
      event.preventDefault();
      close(parts);
    }
  });

  // A press on a suggestion keeps the focus in the box (so that leaving the box, below,
  // does not close the list before the click picks it).
  document.addEventListener("mousedown", function (event) {
    if (event.target.closest && event.target.closest("[data-typeahead] [role=option]")) {
      event.preventDefault();
    }
  });

  document.addEventListener("focusout", function (event) {
    var parts = partsOf(event.target);
    if (parts && event.target === parts.input && optionsOf(parts).length) { close(parts); }
  });

  document.addEventListener("click", function (event) {
    var option = event.target.closest ? event.target.closest("[data-typeahead] [role=option]") : null;
    var parts = partsOf(option);
    if (parts) { pick(parts, option); }
  });

  document.addEventListener("htmx:afterSwap", function (event) {
    var parts = partsOf(event.target);
    if (parts && event.target === parts.results) {
      parts.input.setAttribute("aria-expanded", optionsOf(parts).length ? "true" : "false");
      parts.input.removeAttribute("aria-activedescendant");
    }
  });
})();
