// OAuth callback: a board that hands the token back in the URL fragment (#hash=...) is
// answered here. The fragment never reaches the server, so it is copied into the page's
// form and POSTed to the same callback URL (which spends the single-use state). The
// fragment is removed from the address bar and history first, so the token is not kept.
(function () {
  "use strict";
  var form = document.querySelector("form[data-oauth-return]");
  if (!form) { return; }
  var params = new URLSearchParams(window.location.hash.replace(/^#/, ""));
  var token = params.get("hash") || params.get("access_token") || "";
  if (window.location.hash && window.history && window.history.replaceState) {
    window.history.replaceState(null, "", window.location.pathname + window.location.search);
  }
  form.querySelector("input[name=hash]").value = token;
  form.submit();
})();
