// File inputs marked data-max-bytes: a file over the server's limit is refused here, before
// the form is sent, so that the person keeps everything they typed (the server would refuse
// the whole request unread). The message comes from data-too-large-message.
(function () {
  "use strict";

  var SELECTOR = "input[type=file][data-max-bytes]";

  function tooLarge(input) {
    var limit = Number(input.getAttribute("data-max-bytes"));
    return Array.prototype.some.call(input.files || [], function (file) {
      return file.size > limit;
    });
  }

  function showVerdict(input) {
    var id = input.id + "_size_error";
    var message = document.getElementById(id);
    var describedBy = (input.getAttribute("aria-describedby") || "").split(" ").filter(Boolean);
    if (!tooLarge(input)) {
      if (message) { message.remove(); }
      input.classList.remove("is-invalid");
      input.setAttribute("aria-describedby", describedBy.filter(function (ref) {
        return ref !== id;
      }).join(" "));
      return true;
    }
    if (!message) {
      message = document.createElement("div");
      message.id = id;
      message.className = "invalid-feedback d-block";
      message.setAttribute("role", "alert");
      input.insertAdjacentElement("afterend", message);
    }
    message.textContent = input.getAttribute("data-too-large-message");
    input.classList.add("is-invalid");
    if (describedBy.indexOf(id) === -1) { describedBy.push(id); }
    input.setAttribute("aria-describedby", describedBy.join(" "));
    return false;
  }

  document.addEventListener("change", function (event) {
    if (event.target.matches && event.target.matches(SELECTOR)) { showVerdict(event.target); }
  });

  // Capture phase: runs before the handler that disables submit buttons (app.js).
  document.addEventListener("submit", function (event) {
    var inputs = event.target.querySelectorAll(SELECTOR);
    var first = null;
    inputs.forEach(function (input) {
      if (!showVerdict(input) && first === null) { first = input; }
    });
    if (first !== null) {
      event.preventDefault();
      event.stopPropagation();
      first.focus();
    }
  }, true);
})();
