// The target declaration form (SPEC §13): the weights' total follows what the unit types, so a clerk
// sees at once whether the rows add up to 90 before saving. The saved total stays in the checks panel.
(function () {
  "use strict";
  // Replacing the rows with the template's is one click; it asks first when there are rows to lose.
  var buttons = document.querySelectorAll("button[data-confirm]");
  for (var b = 0; b < buttons.length; b++) {
    buttons[b].addEventListener("click", function (event) {
      if (!window.confirm(this.getAttribute("data-confirm"))) event.preventDefault();
    });
  }
  var form = document.getElementById("targets-form");
  if (!form) return;
  var shown = form.querySelector(".weight-total.live");
  function total() {
    var sum = 0;
    var rows = form.querySelectorAll("tbody tr");
    for (var i = 0; i < rows.length; i++) {
      var removed = rows[i].querySelector("input[name$='-DELETE']");
      var weight = rows[i].querySelector("input[name$='-weight']");
      if (!weight || (removed && removed.checked)) continue;
      var value = parseFloat(weight.value.trim());
      if (!isNaN(value)) sum += Math.round(value * 100);
    }
    return sum / 100;
  }
  function update() {
    var sum = total();
    shown.textContent = String(sum);
    shown.classList.toggle("flag", sum !== 90);
  }
  form.addEventListener("input", update);
  form.addEventListener("change", update);
  update();
})();
