// The grid (inventory/grid.html): a block pasted from Excel fills the rows from the cell it is pasted
// into, and each row's tonnes and problems are shown as the user types. The server does both (the same
// form posted with format=json), so the page reads and checks rows exactly as "Save all" will.
"use strict";
(() => {
  const form = document.getElementById("grid-form");
  if (!form) { return; }
  const body = document.getElementById("grid-rows");
  const template = document.getElementById("grid-row-template");
  const addButton = form.querySelector("[data-add-rows]");

  const rowCount = () => body.querySelectorAll("tr.grid-row").length;
  function addRows(n) {
    for (let k = 0; k < n; k += 1) {
      const i = rowCount();
      const html = template.innerHTML.replaceAll("__i__", String(i)).replaceAll("__n__", String(i + 1));
      body.insertAdjacentHTML("beforeend", html);
    }
  }
  function input(i, column) { return form.elements.namedItem(`row-${i}-${column}`); }

  // Every row as one JSON field: a field per cell would stop at Django's 1 000 form fields (~95 rows).
  function rowsJson() {
    return JSON.stringify([...body.querySelectorAll("tr.grid-row")].map((tr) => Object.fromEntries(
      [...tr.querySelectorAll("input[data-column]")].map((cell) => [cell.dataset.column, cell.value]))));
  }
  async function post(fields) {
    const data = new FormData();
    data.set("csrfmiddlewaretoken", form.elements.namedItem("csrfmiddlewaretoken").value);
    data.set("rows_json", rowsJson());
    data.set("format", "json");
    for (const [name, value] of Object.entries(fields)) { data.set(name, value); }
    const response = await fetch(window.location.pathname, {
      method: "POST", body: data, headers: { "Accept": "application/json" }, credentials: "same-origin" });
    if (!response.ok) { throw new Error(String(response.status)); }
    return response.json();
  }

  let pending = 0;
  async function check() {
    const ticket = ++pending;
    const result = await post({ action: "check" });
    if (ticket !== pending) { return; }  // a newer check is on its way
    for (const tr of body.querySelectorAll("tr.grid-row")) {
      tr.classList.remove("has-problem");
      tr.querySelector("[data-testid=row-market]").textContent = "";
      tr.querySelector("[data-testid=row-location]").textContent = "";
      for (const cell of tr.querySelectorAll("input")) { cell.classList.remove("invalid"); cell.removeAttribute("aria-invalid"); }
      const problems = body.querySelector(`tr[data-problems-for="${tr.dataset.index}"]`);
      problems.hidden = true;
      problems.querySelector("ul").replaceChildren();
    }
    for (const row of result.rows) {
      const tr = body.querySelector(`tr.grid-row[data-index="${row.index}"]`);
      if (!tr) { continue; }
      tr.querySelector("[data-testid=row-market]").textContent = row.market;
      tr.querySelector("[data-testid=row-location]").textContent = row.location;
      if (row.problems.length) {
        tr.classList.add("has-problem");
        const problems = body.querySelector(`tr[data-problems-for="${row.index}"]`);
        for (const problem of row.problems) {
          const li = document.createElement("li");
          li.textContent = problem.text;
          problems.querySelector("ul").append(li);
          const cell = problem.column && input(row.index, problem.column);
          if (cell) { cell.classList.add("invalid"); cell.setAttribute("aria-invalid", "true"); }
        }
        problems.hidden = false;
      }
      if (row.warnings.length) {
        const problems = body.querySelector(`tr[data-problems-for="${row.index}"]`);
        for (const text of row.warnings) {
          const li = document.createElement("li");
          li.className = "grid-warning";
          li.dataset.testid = "row-warning";
          li.textContent = text;
          problems.querySelector("ul").append(li);
        }
        problems.hidden = false;
      }
    }
    const s = result.summary;
    form.querySelector("[data-testid=grid-summary]").textContent = s.count ? s.text : "";
    form.querySelector("[data-confirm-warnings]").hidden = !s.warned;
    form.querySelector("[data-testid=grid-total-market]").textContent = s.count ? s.market : "";
    form.querySelector("[data-testid=grid-total-location]").textContent = s.count ? s.location : "";
  }

  let timer = null;
  function checkSoon() {
    clearTimeout(timer);
    timer = setTimeout(() => { check().catch(() => {}); }, 400);
  }

  body.addEventListener("input", checkSoon);
  body.addEventListener("paste", async (event) => {
    const target = event.target;
    const text = event.clipboardData ? event.clipboardData.getData("text/plain") : "";
    if (!(target instanceof HTMLInputElement) || !/[\t\n]/.test(text.trim())) { return; }  // one cell: as usual
    event.preventDefault();
    const start = Number(target.closest("tr").dataset.index);
    const result = await post({ action: "paste", pasted: text, column: target.dataset.column });
    const needed = start + result.rows.length + 1 - rowCount();
    if (needed > 0) { addRows(needed); }
    result.rows.forEach((row, k) => {
      for (const [column, value] of Object.entries(row)) {
        const cell = input(start + k, column);
        if (cell && value !== "") { cell.value = value; }
      }
    });
    await check();
  });
  form.addEventListener("submit", () => {
    const hidden = document.createElement("input");
    hidden.type = "hidden";
    hidden.name = "rows_json";
    hidden.value = rowsJson();
    form.append(hidden);
    for (const cell of body.querySelectorAll("input[data-column]")) { cell.disabled = true; }
  });
  window.addEventListener("pageshow", () => {  // back to a page whose inputs were disabled on submit
    for (const cell of body.querySelectorAll("input[data-column]")) { cell.disabled = false; }
  });
  if (addButton) {
    addButton.hidden = false;
    addButton.addEventListener("click", () => addRows(5));
  }
  form.dataset.ready = "true";  // for the browser test: the handlers are in place
})();
