// Small behaviours that need script; every page works without it.
"use strict";

// Close open dropdown menus (<details class="menu">) on a click elsewhere or Escape.
document.addEventListener("click", (event) => {
  for (const menu of document.querySelectorAll("details.menu[open]")) {
    if (!menu.contains(event.target)) menu.removeAttribute("open");
  }
});
document.addEventListener("keydown", (event) => {
  if (event.key !== "Escape") return;
  for (const menu of document.querySelectorAll("details.menu[open]")) {
    menu.removeAttribute("open");
    menu.querySelector("summary")?.focus();
  }
});

// <form data-confirm="Are you sure?">: ask before submitting a destructive action.
document.addEventListener("submit", (event) => {
  const message = event.target.dataset?.confirm;
  if (message && !window.confirm(message)) event.preventDefault();
});

// A strip of tabs wider than the screen (a phone) scrolls sideways: bring the active tab into view,
// centred, so the page says where you are without a swipe.
for (const tabs of document.querySelectorAll(".tabs")) {
  const active = tabs.querySelector('[aria-current="page"]');
  if (!active || tabs.scrollWidth <= tabs.clientWidth) continue;
  const left = active.offsetLeft, right = left + active.offsetWidth;
  if (left < tabs.scrollLeft || right > tabs.scrollLeft + tabs.clientWidth) {
    tabs.scrollLeft = Math.max(0, left - (tabs.clientWidth - active.offsetWidth) / 2);
  }
}
