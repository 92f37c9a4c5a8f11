// The progress bar of a report being made by the task worker: polls status.json every second and
// reloads the page (to show the download or the failure) once the job has ended. Without script the
// page has a refresh link.
"use strict";

(() => {
  const box = document.getElementById("report-job-progress");
  if (!box) return;
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
})();
