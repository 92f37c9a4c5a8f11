// Flight form: an airport is a code or a city/airport name (the <datalist> suggests common airports).
// Three letters are read as a code, so they are shown in capitals once typed; a name is left as typed
// (upper-casing while typing made "bergen" look like the code BER).
"use strict";
for (const input of document.querySelectorAll("input.iata")) {
  input.addEventListener("change", () => {
    if (/^\s*[a-z]{3}\s*$/i.test(input.value)) { input.value = input.value.trim().toUpperCase(); }
  });
}
