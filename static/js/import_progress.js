// Import page: poll the job's status and move the progress bar; reload the page once the job is done.
(function () {
  "use strict";
  var box = document.querySelector("[data-import-status-url]");
  if (!box) {
    return;
  }
  var url = box.getAttribute("data-import-status-url");
  var bar = box.querySelector("progress");
  var label = box.querySelector("[data-import-progress-label]");

  function show(status) {
    if (status.rows_total) {
      bar.max = status.rows_total;
      bar.value = status.rows_done;
      label.textContent = status.rows_done.toLocaleString() + " / " + status.rows_total.toLocaleString();
    }
  }

  function poll() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) {
          throw new Error(response.status);
        }
        return response.json();
      })
      .then(function (status) {
        show(status);
        if (status.finished) {
          window.location.reload();
        } else {
          window.setTimeout(poll, 1000);
        }
      })
      .catch(function () {
        window.setTimeout(poll, 3000);
      });
  }

  window.setTimeout(poll, 500);
})();
