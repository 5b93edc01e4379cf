// Puente API reference bootstrap. Kept in its own file (not an inline
// <script>) so the page works under a CSP without 'unsafe-inline' scripts.
(function () {
  "use strict";
  var el = document.getElementById("redoc-container");
  if (!el || typeof Redoc === "undefined") {
    return;
  }
  // System font stacks only: nothing is fetched from a font CDN.
  var sans = 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, "Noto Sans", "Liberation Sans", sans-serif';
  var mono = 'ui-monospace, SFMono-Regular, Menlo, Monaco, Consolas, "Liberation Mono", "Courier New", monospace';
  Redoc.init(el.getAttribute("data-spec-url"), {
    theme: {
      typography: {
        fontFamily: sans,
        headings: { fontFamily: sans },
        code: { fontFamily: mono }
      }
    }
  }, el);
})();
