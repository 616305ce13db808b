// Progressive enhancement only: every page works without this file.
// Shows event times in the visitor's own time zone beside the event's zone.
(function () {
  "use strict";
  var zone;
  try { zone = Intl.DateTimeFormat().resolvedOptions().timeZone; } catch (e) { return; }
  document.querySelectorAll("[data-local-time]").forEach(function (el) {
    var when = new Date(el.getAttribute("data-local-time"));
    if (isNaN(when)) { return; }
    var text = new Intl.DateTimeFormat(document.documentElement.lang, {
      dateStyle: "medium", timeStyle: "short", timeZone: zone
    }).format(when);
    el.textContent = el.getAttribute("data-local-label").replace("%s", text + " (" + zone + ")");
    el.hidden = false;
  });
})();

// htmx does not swap an answer of 429 (rate limited) or 503 (try again in a moment), so the reason
// would never show. It is shown as an alert after the part of the page the request was to change;
// the form keeps what was typed. Only the text is taken from the answer.
(function () {
  "use strict";
  function refusalAfter(anchor) {
    var next = anchor && anchor.nextElementSibling;
    return next && next.classList.contains("htmx-refusal") ? next : null;
  }
  document.addEventListener("htmx:beforeRequest", function (event) {
    var old = refusalAfter(event.detail.target);
    if (old) { old.remove(); }
  });
  document.addEventListener("htmx:responseError", function (event) {
    var xhr = event.detail.xhr;
    if (xhr.status !== 429 && xhr.status !== 503) { return; }
    var answer = new DOMParser().parseFromString(xhr.responseText, "text/html");
    var source = answer.querySelector("[role=alert]") || answer.querySelector("main p");
    var text = source ? source.textContent.trim() : "";
    if (!text) { return; }
    var anchor = event.detail.target || event.detail.elt;
    var alert = refusalAfter(anchor);
    if (!alert) {
      alert = document.createElement("p");
      alert.className = "form-errors htmx-refusal";
      alert.setAttribute("role", "alert");
      anchor.insertAdjacentElement("afterend", alert);
    }
    alert.textContent = text;
  });
})();
