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
