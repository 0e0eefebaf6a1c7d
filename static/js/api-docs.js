// The API reference: Swagger UI (from drf-spectacular-sidecar, served locally) over the
// portal's OpenAPI schema; the schema URL comes from the page, no inline script.
(function () {
  "use strict";
  var root = document.getElementById("swagger-ui");
  if (!root || !window.SwaggerUIBundle) { return; }
  window.SwaggerUIBundle({
    url: root.getAttribute("data-schema-url"),
    dom_id: "#swagger-ui",
    deepLinking: true,
    persistAuthorization: false,
  });
})();
