// The survey's share fields: show the running sum (it must be 100 %), so a phone user sees it before sending.
(function () {
  "use strict";
  function ready(fn) { if (document.readyState !== "loading") { fn(); } else { document.addEventListener("DOMContentLoaded", fn); } }
  ready(function () {
    var box = document.querySelector("[data-shares]");
    if (!box) { return; }
    var inputs = box.querySelectorAll("input.share");
    var sum = box.querySelector("[data-share-sum]");
    var total = box.querySelector("[data-share-total]");
    function update() {
      var value = 0;
      inputs.forEach(function (input) { var n = parseFloat(input.value); if (!isNaN(n)) { value += n; } });
      sum.hidden = value === 0;
      total.textContent = String(Math.round(value * 10) / 10);
      sum.classList.toggle("is-off", value !== 100);
    }
    inputs.forEach(function (input) { input.addEventListener("input", update); });
    update();
  });
})();
