// Rapport's small progressive enhancements. Every page works without this file.
"use strict";

// Copy buttons: <button data-copy="#field" hidden>. Shown only when script runs; without
// it the field itself can be selected and copied by hand.
function copyFrom(button) {
  const field = document.querySelector(button.dataset.copy);
  if (!field) return;
  const done = () => {
    const label = (button.dataset.label ||= button.textContent);
    button.textContent = "Copied";
    setTimeout(() => { button.textContent = label; }, 2000);
  };
  const fallback = () => {
    field.select();
    if (document.execCommand("copy")) done();
  };
  if (navigator.clipboard && window.isSecureContext) {
    navigator.clipboard.writeText(field.value).then(done, fallback);
  } else {
    fallback();
  }
}

document.addEventListener("DOMContentLoaded", () => {
  for (const button of document.querySelectorAll("button[data-copy]")) {
    button.hidden = false;
    button.addEventListener("click", () => copyFrom(button));
  }
});
