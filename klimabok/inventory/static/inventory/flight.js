// Flight form: airport codes are typed in capitals (the <datalist> suggests common airports).
"use strict";
for (const input of document.querySelectorAll("input.iata")) {
  input.addEventListener("input", () => { input.value = input.value.toUpperCase(); });
}
