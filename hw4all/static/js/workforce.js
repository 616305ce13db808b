/* Workforce charts, enhanced. Without this file every chart is the image the server drew from its
   Vega-Lite spec, with its data table and download links beside it. With it: when a figure comes
   into view, the vendored vega, vega-lite and vega-embed load (once per page) and draw the same
   spec in the image's place, with tooltips. Expressions run through vega's
   interpreter (`ast: true`), never `eval`, so a Content-Security-Policy without 'unsafe-eval'
   holds. If anything fails the image stays. On a connection that asks to save data, nothing loads. */
(function () {
    "use strict";

    if (window.hw4allWorkforceCharts) { return; }
    window.hw4allWorkforceCharts = true;

    var script = document.currentScript;
    if (!script || !window.fetch || !window.Promise || !("IntersectionObserver" in window)) { return; }
    if (navigator.connection && navigator.connection.saveData) { return; }

    var libraries = null;

    function load(src) {
        return new Promise(function (resolve, reject) {
            var element = document.createElement("script");
            element.src = src;
            element.onload = resolve;
            element.onerror = reject;
            document.head.appendChild(element);
        });
    }

    function librariesLoad() {
        // In order: vega-lite needs vega, vega-embed needs both.
        if (!libraries) {
            libraries = load(script.getAttribute("data-vega"))
                .then(function () { return load(script.getAttribute("data-vega-lite")); })
                .then(function () { return load(script.getAttribute("data-vega-embed")); });
        }
        return libraries;
    }

    function draw(figure) {
        var holder = figure.querySelector(".wf-figure__chart");
        var image = holder && holder.querySelector("img");
        if (!image) { return; }
        var spec = fetch(figure.getAttribute("data-chart-spec"), { credentials: "same-origin" })
            .then(function (response) {
                if (!response.ok) { throw new Error("The chart's spec answered " + response.status); }
                return response.json();
            });
        Promise.all([spec, librariesLoad()])
            .then(function (results) {
                var target = document.createElement("div");
                target.className = "wf-figure__view";
                return window.vegaEmbed(target, results[0], {
                    mode: "vega-lite",
                    renderer: "svg",
                    ast: true,
                    defaultStyle: false,
                    tooltip: { disableDefaultStyle: true },
                    // The figure's own links download the same drawing (the server draws the
                    // same spec with the same vega), and work without JavaScript.
                    actions: false
                }).then(function () {
                    // The drawing is one image that says what the server's image said; the
                    // data table beside it holds the figures.
                    var wrapper = target.querySelector(".chart-wrapper");
                    if (wrapper) {
                        ["role", "aria-roledescription", "aria-label"].forEach(function (name) {
                            wrapper.removeAttribute(name);
                        });
                    }
                    var drawing = target.querySelector("svg, canvas");
                    if (drawing) {
                        drawing.setAttribute("role", "img");
                        drawing.setAttribute("aria-label", image.getAttribute("alt"));
                    }
                    holder.replaceChild(target, image);
                    figure.classList.add("wf-figure--drawn");
                });
            })
            .catch(function (error) {
                if (window.console) { window.console.warn("The chart stays an image:", error); }
            });
    }

    var figures = document.querySelectorAll("figure.wf-figure[data-chart-spec]");
    if (!figures.length) { return; }
    var observer = new IntersectionObserver(function (entries) {
        entries.forEach(function (entry) {
            if (entry.isIntersecting) {
                observer.unobserve(entry.target);
                draw(entry.target);
            }
        });
    }, { rootMargin: "200px" });
    Array.prototype.forEach.call(figures, function (figure) { observer.observe(figure); });
})();
