// The officer's "recompute now" button: queue the task, then poll its status until the figures are
// up to date, without reloading the page.
(function () {
  "use strict";
  function start(form) {
    var progress = form.querySelector(".recompute-progress");
    var button = form.querySelector("button");
    var started = Date.now();
    function show(text) { progress.hidden = false; progress.textContent = text; }
    function poll(url) {
      fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
        .then(function (response) { return response.json(); })
        .then(function (state) {
          if (state.done) {
            show(progress.dataset.done + " " + state.message);
            var link = document.createElement("a");
            link.href = window.location.href;
            link.textContent = progress.dataset.reload;
            progress.appendChild(document.createTextNode(" "));
            progress.appendChild(link);
            button.disabled = false;
            return;
          }
          var seconds = Math.round((Date.now() - started) / 1000);
          show(progress.dataset.waiting + " " + seconds + " s" + (state.error ? " — " + state.error : ""));
          window.setTimeout(function () { poll(url); }, 1000);
        })
        .catch(function () { window.setTimeout(function () { poll(url); }, 3000); });
    }
    button.disabled = true;
    show(progress.dataset.waiting);
    fetch(form.action, { method: "POST", body: new FormData(form), credentials: "same-origin",
                         headers: { "Accept": "application/json" } })
      .then(function (response) {
        if (!response.ok) { throw new Error(response.status); }
        return response.json();
      })
      .then(function (answer) { poll(answer.status_url); })
      .catch(function () { show(progress.dataset.failed); button.disabled = false; });
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form[data-recompute]").forEach(function (form) {
      form.addEventListener("submit", function (event) { event.preventDefault(); start(form); });
    });
  });
})();
