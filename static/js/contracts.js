// My Own Contracts: keyboard use of the job-board search results, and the "new group" field.
(function () {
  "use strict";

  function options() {
    return Array.prototype.slice.call(document.querySelectorAll("#channel-results [role=option]"));
  }

  function activate(input, list, index) {
    list.forEach(function (option, i) {
      option.setAttribute("aria-selected", i === index ? "true" : "false");
      option.classList.toggle("active", i === index);
    });
    if (index >= 0 && list[index]) {
      input.setAttribute("aria-activedescendant", list[index].id);
      list[index].scrollIntoView({ block: "nearest" });
    } else {
      input.removeAttribute("aria-activedescendant");
    }
  }

  document.addEventListener("keydown", function (event) {
    var input = event.target;
    if (!input || input.id !== "channel-search") { return; }
    var list = options();
    if (!list.length) { return; }
    var current = list.findIndex(function (o) { return o.getAttribute("aria-selected") === "true"; });
    if (event.key === "ArrowDown") {
      event.preventDefault();
      activate(input, list, Math.min(current + 1, list.length - 1));
    } else if (event.key === "ArrowUp") {
      event.preventDefault();
      activate(input, list, Math.max(current - 1, 0));
    } else if (event.key === "Enter" && current >= 0) {
      event.preventDefault();
      window.location.assign(list[current].getAttribute("href"));
    } else if (event.key === "Escape") {
      activate(input, list, -1);
    }
  });

  document.addEventListener("htmx:afterSwap", function (event) {
    if (event.target.id !== "channel-results") { return; }
    var input = document.getElementById("channel-search");
    if (input) {
      input.setAttribute("aria-expanded", options().length ? "true" : "false");
      input.removeAttribute("aria-activedescendant");
    }
  });

  // The new group's name only matters when "Create a new group…" is chosen.
  function syncNewGroup() {
    var wrapper = document.querySelector("[data-new-group]");
    var select = document.getElementById("id_group");
    if (!wrapper || !select) { return; }
    var isNew = select.value === wrapper.getAttribute("data-new-group");
    wrapper.hidden = !isNew;
  }
  document.addEventListener("change", function (event) {
    if (event.target && event.target.id === "id_group") { syncNewGroup(); }
  });
  document.addEventListener("DOMContentLoaded", syncNewGroup);
})();
