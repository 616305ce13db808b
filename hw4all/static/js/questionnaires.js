/* Questionnaires: the form of a response, enhanced. Without this file the form works as it is
   (every question shown with its condition in words, "Add another" and "Remove" submit the form).
   With it: questions and sections show and hide as answers change (the condition trees come from
   hw4all/questionnaires/expressions.py and are evaluated here exactly as `evaluate` does there),
   choices follow their filter, "other" boxes appear when "other" is chosen, repeated blocks are
   added and removed in place, and drafts save themselves a moment after each change. */
(function () {
    "use strict";

    var COMPARISONS = ["=", "!=", "<=", ">=", "<", ">"];

    function number(value) {
        if (value === null || value === undefined || typeof value === "boolean" || typeof value === "object") {
            return null;
        }
        var text = String(value).trim();
        if (!/^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/.test(text)) {
            return null;
        }
        return Number(text);
    }

    function text(value) {
        if (value === null || value === undefined) { return ""; }
        if (Array.isArray(value)) { return value.map(String).join(" "); }
        if (typeof value === "boolean") { return value ? "true" : "false"; }
        return String(value);
    }

    function truth(value) {
        if (typeof value === "boolean") { return value; }
        if (typeof value === "number") { return value !== 0; }
        if (Array.isArray(value)) { return value.length > 0; }
        return Boolean(value);
    }

    var ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

    function compare(operator, left, right) {
        var a = number(left), b = number(right);
        if (a === null || b === null) {
            var dates = ISO_DATE.test(text(left)) && ISO_DATE.test(text(right));
            if (operator !== "=" && operator !== "!=" && !dates) { return false; }
            a = text(left);
            b = text(right);
        }
        switch (operator) {
            case "=": return a === b;
            case "!=": return a !== b;
            case "<": return a < b;
            case "<=": return a <= b;
            case ">": return a > b;
            default: return a >= b;
        }
    }

    function chosen(value) {
        return Array.isArray(value) ? value.map(text) : text(value).split(/\s+/).filter(Boolean);
    }

    /* The value of a condition tree: answer(name) gives an answer (null when unanswered), own the
       question's own answer for ".", column(name) a choice's column in a choice filter. */
    function evaluate(node, answer, own, column) {
        if (node === null || node === undefined) { return true; }
        var kind = node[0];
        if (kind === "ref") { return answer(node[1]); }
        if (kind === "self") { return own === undefined ? null : own; }
        if (kind === "col") { return column ? column(node[1]) : null; }
        if (kind === "str" || kind === "num") { return node[1]; }
        if (kind === "and") {
            return truth(evaluate(node[1], answer, own, column)) && truth(evaluate(node[2], answer, own, column));
        }
        if (kind === "or") {
            return truth(evaluate(node[1], answer, own, column)) || truth(evaluate(node[2], answer, own, column));
        }
        if (kind === "call") {
            var args = node.slice(2).map(function (part) { return evaluate(part, answer, own, column); });
            switch (node[1]) {
                case "not": return !truth(args[0]);
                case "selected": return chosen(args[0]).indexOf(text(args[1])) !== -1;
                case "count-selected": return chosen(args[0]).length;
                case "string-length": return text(args[0]).length;
                default: return node[1] === "true";
            }
        }
        var left = evaluate(node[1], answer, own, column);
        var right = evaluate(node[2], answer, own, column);
        if (COMPARISONS.indexOf(kind) !== -1) { return compare(kind, left, right); }
        var a = number(left), b = number(right);
        if (a === null || b === null) { return null; }
        switch (kind) {
            case "+": return a + b;
            case "-": return a - b;
            case "*": return a * b;
            case "div": return b === 0 ? null : a / b;
            default: return b === 0 ? null : a % b;
        }
    }

    function isTrue(node, answer, own, column) {
        return truth(evaluate(node, answer, own, column));
    }

    window.hw4allQuestionnaires = { evaluate: evaluate, isTrue: isTrue };

    /* -- Reading the form ------------------------------------------------------------------- */

    function questionValue(question) {
        if (!question || question.hidden) { return null; }
        var path = question.getAttribute("data-path");
        var type = question.className.match(/question--(\w+)/);
        type = type ? type[1] : "";
        var inputs = Array.prototype.filter.call(
            question.querySelectorAll("input, select, textarea"),
            function (input) { return input.name === path; }
        );
        if (type === "select_multiple") {
            var ticked = inputs.filter(function (input) { return input.checked; }).map(function (input) { return input.value; });
            return ticked.length ? ticked : null;
        }
        if (type === "countries") {
            var selected = inputs.length ? Array.prototype.map.call(inputs[0].selectedOptions, function (option) { return option.value; }) : [];
            return selected.length ? selected : null;
        }
        if (type === "yes_no" || type === "select_one") {
            var checked = inputs.filter(function (input) { return input.checked; })[0];
            return checked ? checked.value : null;
        }
        if (type === "matrix" || type === "repeat" || type === "file" || type === "note") {
            return null;
        }
        var value = inputs.length ? inputs[0].value.trim() : "";
        return value === "" ? null : value;
    }

    function answerGetter(form, question) {
        var block = question ? question.closest(".qblock") : null;
        return function (name) {
            if (block) {
                var prefix = block.getAttribute("data-block") + ".";
                var inner = block.querySelector('[data-path="' + cssEscape(prefix + name) + '"]');
                if (inner) { return questionValue(inner); }
            }
            return questionValue(form.querySelector('[data-path="' + cssEscape(name) + '"]'));
        };
    }

    function cssEscape(value) {
        return window.CSS && CSS.escape ? CSS.escape(value) : value.replace(/["\\]/g, "\\$&");
    }

    function parsed(element, attribute) {
        var raw = element.getAttribute(attribute);
        if (!raw) { return null; }
        try { return JSON.parse(raw); } catch (error) { return null; }
    }

    /* -- Skip logic, choice filters, "other" -------------------------------------------------- */

    function refresh(form) {
        // Reading order, so that a hidden question counts as unanswered for those after it.
        form.querySelectorAll(".qsection, .question").forEach(function (element) {
            var node = parsed(element, "data-relevant");
            if (node) {
                var shown = isTrue(node, answerGetter(form, element.classList.contains("question") ? element : null));
                element.hidden = !shown;
            }
            if (element.classList.contains("question")) {
                filterChoices(form, element);
                showOther(element);
            }
        });
        document.querySelectorAll("[data-toc-for]").forEach(function (item) {
            var section = document.getElementById(item.getAttribute("data-toc-for"));
            item.hidden = section ? section.hidden : false;
        });
    }

    function filterChoices(form, question) {
        var node = parsed(question, "data-choice-filter");
        if (!node) { return; }
        var answer = answerGetter(form, question);
        question.querySelectorAll(".choice[data-columns]").forEach(function (choice) {
            var columns = parsed(choice, "data-columns") || {};
            var allowed = isTrue(node, answer, undefined, function (name) {
                return Object.prototype.hasOwnProperty.call(columns, name) ? columns[name] : null;
            });
            choice.hidden = !allowed;
            if (!allowed) {
                choice.querySelectorAll("input").forEach(function (input) { input.checked = false; });
            }
        });
    }

    function showOther(question) {
        var other = question.querySelector(":scope > .qother, :scope > fieldset > .qother");
        if (!other) { return; }
        var value = questionValue(question);
        other.hidden = !(value === "other" || (Array.isArray(value) && value.indexOf("other") !== -1));
    }

    /* -- Repeated blocks -------------------------------------------------------------------------- */

    function renumber(container) {
        container.querySelectorAll(":scope > .qblock").forEach(function (block, position) {
            var number = block.querySelector("[data-block-number]");
            if (number) { number.textContent = String(position + 1); }
        });
    }

    function addBlock(form, button) {
        var path = button.getAttribute("data-add-block");
        var container = form.querySelector('[data-blocks="' + cssEscape(path) + '"]');
        var template = form.querySelector('template[data-block-template="' + cssEscape(path) + '"]');
        if (!container || !template) { return false; }
        var blocks = container.querySelectorAll(":scope > .qblock");
        if (blocks.length >= Number(container.getAttribute("data-max-blocks") || 50)) { return false; }
        var next = 0;
        blocks.forEach(function (block) {
            var index = Number(block.getAttribute("data-block").split(".").pop());
            if (index >= next) { next = index + 1; }
        });
        var holder = document.createElement("div");
        holder.innerHTML = template.innerHTML.split("__index__").join(String(next));
        var block = holder.firstElementChild;
        container.appendChild(block);
        renumber(container);
        var first = block.querySelector("input:not([type=hidden]), select, textarea");
        if (first) { first.focus(); }
        return true;
    }

    function removeBlock(button) {
        var block = button.closest(".qblock");
        var container = block.parentElement;
        var after = block.nextElementSibling || block.previousElementSibling;
        block.remove();
        renumber(container);
        var focus = after ? after.querySelector("input:not([type=hidden]), select, textarea") : null;
        (focus || container.parentElement.querySelector("[data-add-block]")).focus();
    }

    /* -- Autosave -------------------------------------------------------------------------------------- */

    function csrfToken(form) {
        var input = form.querySelector("input[name=csrfmiddlewaretoken]");
        return input ? input.value : "";
    }

    function showInline(form, path, className, message) {
        var question = form.querySelector('[data-path="' + cssEscape(path) + '"]');
        if (!question) { return; }
        var note = question.querySelector(":scope > ." + className + "[data-live], :scope > fieldset > ." + className + "[data-live]");
        if (!message) {
            if (note) { note.remove(); }
            return;
        }
        if (!note) {
            note = document.createElement("p");
            note.className = className;
            note.setAttribute("data-live", "");
            var label = question.querySelector(".question__label");
            label.insertAdjacentElement("afterend", note);
        }
        note.textContent = message;
    }

    function autosaver(form, status) {
        var url = form.getAttribute("data-autosave-url");
        var timer = null;
        var running = false;
        var again = false;
        var stopped = false;
        var shownErrors = [];
        var shownConflicts = [];

        function body() {
            var data = new FormData(form);
            var fileFields = [];
            data.forEach(function (value, key) {
                if (value instanceof File) { fileFields.push(key); }
            });
            fileFields.forEach(function (key) { data.delete(key); });
            data.delete("save");
            data.delete("submit");
            return data;
        }

        function save() {
            if (stopped) { return; }
            if (running) { again = true; return; }
            running = true;
            status.textContent = status.getAttribute("data-saving-text") || "";
            fetch(url, {
                method: "POST",
                body: body(),
                credentials: "same-origin",
                headers: { "X-CSRFToken": csrfToken(form), "Accept": "application/json" }
            }).then(function (reply) {
                if (reply.status === 403 || reply.status === 404) {
                    stopped = true;
                    status.textContent = status.getAttribute("data-stopped-text") || "";
                    return null;
                }
                return reply.json();
            }).then(function (result) {
                if (!result) { return; }
                applyResult(result);
            }).catch(function () {
                status.textContent = status.getAttribute("data-failed-text") || "";
            }).then(function () {
                running = false;
                if (again) { again = false; schedule(); }
            });
        }

        function applyResult(result) {
            if (typeof result.revision === "number") {
                form.querySelector("input[name=revision]").value = String(result.revision);
            }
            var loadedInput = form.querySelector("input[name=loaded]");
            var loaded = {};
            try { loaded = JSON.parse(loadedInput.value || "{}"); } catch (error) { loaded = {}; }
            Object.keys(result.applied || {}).forEach(function (key) { loaded[key] = result.applied[key]; });
            loadedInput.value = JSON.stringify(loaded);
            shownErrors.forEach(function (path) { showInline(form, path, "errorlist", ""); });
            shownErrors = Object.keys(result.errors || {});
            shownErrors.forEach(function (path) { showInline(form, path, "errorlist", result.errors[path].join(" ")); });
            shownConflicts.forEach(function (path) { showInline(form, path, "qconflict", ""); });
            shownConflicts = (result.conflicts || []).map(function (conflict) { return conflict.path; });
            (result.conflicts || []).forEach(function (conflict) {
                var template = status.getAttribute("data-conflict-text") || "%(theirs)s / %(yours)s";
                showInline(form, conflict.path, "qconflict",
                    template.replace("%(theirs)s", conflict.theirs || "—").replace("%(yours)s", conflict.yours || "—"));
            });
            var saved = status.getAttribute("data-saved-text") || "%(time)s";
            status.textContent = saved.replace("%(time)s", result.saved_at || "");
        }

        function schedule() {
            if (stopped) { return; }
            if (timer) { clearTimeout(timer); }
            timer = setTimeout(save, 2000);
        }

        return { schedule: schedule, stop: function () { stopped = true; if (timer) { clearTimeout(timer); } } };
    }

    /* -- Wiring --------------------------------------------------------------------------------------- */

    function enhance(root) {
        var form = root.querySelector("form[data-autosave-url]");
        if (!form) { return; }
        root.classList.add("qform--live");
        var status = root.querySelector("[data-autosave-status]");
        var saver = form.hasAttribute("data-frozen") || !status ? null : autosaver(form, status);
        refresh(form);
        form.addEventListener("change", function () { refresh(form); if (saver) { saver.schedule(); } });
        form.addEventListener("input", function (event) {
            if (event.target.type !== "file") { refresh(form); if (saver) { saver.schedule(); } }
        });
        form.addEventListener("click", function (event) {
            var add = event.target.closest("[data-add-block]");
            if (add && addBlock(form, add)) {
                event.preventDefault();
                refresh(form);
                if (saver) { saver.schedule(); }
                return;
            }
            var remove = event.target.closest("[data-remove-block]");
            if (remove) {
                event.preventDefault();
                removeBlock(remove);
                refresh(form);
                if (saver) { saver.schedule(); }
            }
        });
        form.addEventListener("submit", function () { if (saver) { saver.stop(); } });
    }

    function start() {
        document.querySelectorAll("[data-qform]").forEach(enhance);
    }

    if (document.readyState === "loading") {
        document.addEventListener("DOMContentLoaded", start);
    } else {
        start();
    }
})();
