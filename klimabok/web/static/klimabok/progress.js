// A progress bar of work done by the task worker (a ledger file being read, a report being made): a
// box marked data-progress-poll polls its data-status-url every second ({done, percent, label} as
// JSON) and reloads the page once the work has ended, to show the result. Without script the page
// has a refresh link.
"use strict";

(() => {
  for (const box of document.querySelectorAll("[data-progress-poll]")) {
    const bar = box.querySelector("progress");
    const label = box.querySelector("[data-progress-label]");
    const percent = box.querySelector("[data-progress-percent]");

    const poll = async () => {
      try {
        const response = await fetch(box.dataset.statusUrl, {headers: {Accept: "application/json"}, credentials: "same-origin"});
        if (response.ok) {
          const state = await response.json();
          if (state.done) {
            window.location.reload();
            return;
          }
          bar.value = state.percent;
          bar.textContent = `${state.percent} %`;
          label.textContent = state.label;
          percent.textContent = state.percent;
        }
      } catch (error) {
        // a lost connection: try again at the next tick
      }
      window.setTimeout(poll, 1000);
    };
    window.setTimeout(poll, 1000);
  }
})();
