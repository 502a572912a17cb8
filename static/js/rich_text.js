// Job descriptions: a Quill editor (static/vendor/quill) over the description textarea. It
// writes the limited HTML job boards accept: paragraphs, two heading levels, quotes, lists,
// bold, italics, underline and links. The textarea stays in the form and always holds the
// editor's HTML, so the form posts exactly as without JavaScript; the server sanitises it.
(function () {
  "use strict";
  if (typeof window.Quill === "undefined") { return; }

  var FORMATS = ["bold", "italic", "underline", "link", "header", "blockquote", "list"];
  // Tab must move the focus on (no keyboard trap), so Quill's Tab bindings are switched off.
  var NO_TAB = {
    "tab": false, "indent": false, "outdent": false, "remove tab": false,
    "indent code-block": false, "outdent code-block": false
  };

  function semanticHtml(quill) {
    if (!quill.getText().trim()) { return ""; }
    // Quill 2.0.3 writes every space as &nbsp; (slab/quill#4509): put plain spaces back so
    // that the text wraps wherever it is shown.
    return quill.getSemanticHTML().replace(/&nbsp;/g, " ");
  }

  function addIcons(toolbar) {
    var icons = window.Quill.import("ui/icons");
    toolbar.querySelectorAll("button").forEach(function (button) {
      var format = Array.prototype.find.call(button.classList, function (name) {
        return name.indexOf("ql-") === 0;
      });
      var icon = format && icons[format.slice(3)];
      if (icon && typeof icon === "object") { icon = icon[button.value || ""]; }
      if (!icon) { return; }
      var holder = document.createElement("span");
      holder.setAttribute("aria-hidden", "true");
      holder.innerHTML = icon;  // Quill's own SVG icons, never user content
      button.insertBefore(holder, button.firstChild);
    });
  }

  function enhance(wrapper) {
    var textarea = wrapper.querySelector("textarea");
    var toolbar = wrapper.querySelector("[role=toolbar]");
    var label = document.querySelector("label[for=\"" + textarea.id + "\"]");
    var surface = document.createElement("div");
    surface.className = "rich-text-editor form-control";
    if (textarea.classList.contains("is-invalid")) { surface.classList.add("is-invalid"); }
    textarea.insertAdjacentElement("afterend", surface);

    var quill = new window.Quill(surface, {
      formats: FORMATS,
      modules: {
        toolbar: {
          container: toolbar,
          handlers: {
            link: function (active) {
              var href = active ? window.prompt(wrapper.getAttribute("data-link-prompt"), "https://") : "";
              this.quill.format("link", href && href !== "https://" ? href.trim() : false, "user");
            }
          }
        },
        keyboard: { bindings: NO_TAB }
      }
    });
    quill.setContents(quill.clipboard.convert({ html: textarea.value }), "silent");
    quill.history.clear();

    // The editable area speaks for the textarea: same name, help, errors and state.
    var editor = quill.root;
    editor.id = textarea.id + "_editor";
    editor.setAttribute("role", "textbox");
    editor.setAttribute("aria-multiline", "true");
    if (label) {
      label.id = label.id || textarea.id + "_label";
      editor.setAttribute("aria-labelledby", label.id);
      label.addEventListener("click", function () { quill.focus(); });
    }
    ["aria-describedby", "aria-invalid", "aria-required"].forEach(function (name) {
      if (textarea.hasAttribute(name)) { editor.setAttribute(name, textarea.getAttribute(name)); }
    });
    if (textarea.hasAttribute("autofocus")) { quill.focus(); }
    toolbar.setAttribute("aria-controls", editor.id);
    addIcons(toolbar);
    toolbar.hidden = false;
    textarea.hidden = true;

    quill.on("text-change", function () { textarea.value = semanticHtml(quill); });
    textarea.value = semanticHtml(quill);
  }

  document.querySelectorAll("[data-rich-text]").forEach(enhance);
})();
