"""Content-Security-Policy (django-csp 4.0, ``csp.middleware.CSPMiddleware``).

The portal's pages load everything from their own origin: our stylesheet, our scripts
and plotly.js from ``static/vendor/plotly``; no CDN, no inline ``<script>``, no ``on…=``
handlers, no ``style="…"`` attributes (tests/security/test_csp.py guards the templates,
tests/e2e/test_csp.py walks the main pages in a browser and expects no violation).
Chart data travels as ``json_script`` blocks (``type="application/json"``), which the
browser never executes, so script-src needs neither 'unsafe-inline' nor a nonce.
"""

from csp.constants import NONE, SELF

# SHA-256 of the empty string. plotly.js puts its global rules (modebar, hover layer,
# ``.main-svg`` stacking) into the page by appending an *empty* <style id="plotly.js-
# style-global"> and filling it with ``sheet.insertRule`` (lib/dom.js ``addStyleRule``).
# The CSSOM call is not subject to CSP, but the empty element is: under a bare
# style-src 'self' Chromium refuses it, ``sheet`` stays null, Plotly logs "Cannot
# addRelatedStyleRule, probably due to strict CSP" and the charts lose those rules.
# Plotly's own way out (a static plotly.css plus a ``.no-inline-styles`` marker,
# plotly.js PR #7109) is not shipped since the esbuild build (plotly.js issue #7543),
# so instead we allow exactly one inline stylesheet: the empty one. It carries no
# styling an injected tag could use; 'unsafe-inline' stays off, and a hash does not
# cover style="…" attributes (that would need 'unsafe-hashes'), so those stay refused.
EMPTY_STYLE_SHA256 = "'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='"
# SHA-256 of the MapLibre stylesheet that the full plotly.js bundle (4.1.1) injects as a
# <style> with fixed text the moment it loads, map traces or not. We draw no maps, but a
# refused stylesheet is a console error on every chart page; allowing this one exact text
# is harmless. A Plotly upgrade changes it: tests/security/test_csp.py recomputes the
# hash from static/vendor/plotly and fails until this line is updated.
PLOTLY_MAPLIBRE_STYLE_SHA256 = "'sha256-ji27qzEtxXZW+7dun6UwjHXJ18e6WAin1VvNtkzIE/o='"

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        # Anything not named below: our origin only.
        "default-src": [SELF],
        # Our static scripts and plotly.js; inline code and eval are refused, so an
        # injected <script> or on…= attribute does not run.
        "script-src": [SELF],
        # portal.css, plus Plotly's two inline stylesheets (see above).
        "style-src": [SELF, EMPTY_STYLE_SHA256, PLOTLY_MAPLIBRE_STYLE_SHA256],
        # Our images and the favicon; blob: for Plotly's «Download plot as a PNG», which
        # draws the chart's SVG into an <img> from a blob: URL before rasterising it.
        # Nothing of ours uses data: images, so data: stays refused.
        "img-src": [SELF, "blob:"],
        # No web fonts are loaded; system fonts only.
        "font-src": [SELF],
        # fetch() of job status (static/js/job.js) goes to our origin.
        "connect-src": [SELF],
        # Document previews (roadmaps/document_detail.html) frame our own download view.
        "frame-src": [SELF],
        # Only our own pages may frame us (the document preview). Browsers that know
        # frame-ancestors ignore X-Frame-Options when it is present; older ones still
        # follow it (DENY, SAMEORIGIN on the preview view).
        "frame-ancestors": [SELF],
        # No plugins (<object>/<embed>).
        "object-src": [NONE],
        # An injected <base href> cannot redirect our relative script and form URLs.
        "base-uri": [SELF],
        # Forms post only to the portal.
        "form-action": [SELF],
    },
}
