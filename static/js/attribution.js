/* Campaign attribution across origins. When the frozen site and the lead forms live on
   different origins, a visitor who lands here with utm_* parameters would lose them on the
   way to a form. This script copies them from the landing URL onto the links to the forms
   (those starting with the LEADS_URL in <meta name="leads-url">). It sets no cookie and
   stores nothing: the parameters travel only in the links of the page they arrived on. */
(function () {
  "use strict";
  var meta = document.querySelector('meta[name="leads-url"]');
  if (!meta || !window.URL || !window.URLSearchParams) return;
  var base = meta.getAttribute("content");
  var landing = new URLSearchParams(window.location.search);
  var keys = ["utm_source", "utm_medium", "utm_campaign", "utm_term", "utm_content"];
  var carried = keys.filter(function (key) { return landing.get(key); });
  if (!base || carried.length === 0) return;
  var links = document.querySelectorAll("a[href]");
  for (var i = 0; i < links.length; i++) {
    var href = links[i].getAttribute("href");
    if (href.indexOf(base + "/") !== 0) continue;
    var url = new URL(href);
    carried.forEach(function (key) {
      if (!url.searchParams.has(key)) url.searchParams.set(key, landing.get(key).slice(0, 200));
    });
    links[i].setAttribute("href", url.toString());
  }
})();
