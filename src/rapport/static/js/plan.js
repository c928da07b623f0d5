// The preparation pages' small enhancements. Without this file the browser's own Print
// still prints the brief; the button only appears when it can work.
"use strict";

document.addEventListener("DOMContentLoaded", () => {
  for (const button of document.querySelectorAll("button[data-print]")) {
    button.hidden = false;
    button.addEventListener("click", () => window.print());
  }
});
