/* careerbreak: progressive enhancement only. Every page works without this file (no inline script: CSP). */
(function () {
  "use strict";

  /* GOV.UK "Recover from validation errors": the error summary takes the focus, so that it is read out
     first, and each of its links puts the focus in the field it names (the first input of a group). */
  function errorSummary() {
    var summary = document.querySelector("[data-error-summary]");
    if (!summary) { return; }
    summary.focus();
    summary.addEventListener("click", function (event) {
      var link = event.target.closest ? event.target.closest("a[href^='#']") : null;
      if (!link) { return; }
      var target = document.getElementById(decodeURIComponent(link.getAttribute("href").slice(1)));
      if (!target) { return; }
      var input = target.matches("input, select, textarea")
        ? target
        : target.querySelector("input:not([type=hidden]), select, textarea");
      if (!input) { return; }
      event.preventDefault();
      var group = input.closest("fieldset");
      var caption = group ? group.querySelector("legend") : document.querySelector("label[for='" + input.id + "']");
      (caption || input).scrollIntoView();
      input.focus({ preventScroll: true });
    });
  }

  /* WCAG 2.2.1 Timing adjustable: warn before the session ends, with a way to extend it. What the user
     saved at each step is in the database already: nothing is lost when the session does end. */
  function sessionTimeout() {
    var box = document.getElementById("session-timeout");
    if (!box) { return; }
    var sessionSeconds = parseInt(box.getAttribute("data-session-seconds"), 10);
    var warnSeconds = parseInt(box.getAttribute("data-warn-seconds"), 10);
    if (!(sessionSeconds > 0) || !(warnSeconds > 0) || warnSeconds >= sessionSeconds) { return; }
    var form = box.querySelector("form[data-keepalive]");
    var warning = box.querySelector("[data-state=warning]");
    var ended = box.querySelector("[data-state=ended]");
    var returnFocus = null;
    var warnTimer = null;
    var endTimer = null;

    function show(state) {
      warning.hidden = state !== "warning";
      ended.hidden = state !== "ended";
      if (box.hidden) { returnFocus = document.activeElement; }
      box.hidden = false;
      box.focus();
    }

    function schedule() {
      window.clearTimeout(warnTimer);
      window.clearTimeout(endTimer);
      warnTimer = window.setTimeout(function () { show("warning"); }, (sessionSeconds - warnSeconds) * 1000);
      endTimer = window.setTimeout(function () { show("ended"); }, sessionSeconds * 1000);
    }

    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var token = form.querySelector("input[name=csrfmiddlewaretoken]");
      window.fetch(form.action, {
        method: "POST",
        credentials: "same-origin",
        headers: { "X-CSRFToken": token ? token.value : "" }
      }).then(function (response) {
        if (response.status !== 204) { show("ended"); return; }
        box.hidden = true;
        schedule();
        if (returnFocus && returnFocus.focus) { returnFocus.focus(); }
      }, function () { show("ended"); });
    });
    schedule();
  }

  errorSummary();
  sessionTimeout();
}());
