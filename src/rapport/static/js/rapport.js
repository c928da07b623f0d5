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

// The contact list's bulk bar: a "tick everyone on this page" box and a count of the
// ticked ones. Without script each row's box still works; the header box stays hidden.
function bulkForm(element) {
  return element.closest("form.bulk");
}

function showBulkCount(form) {
  const boxes = form.querySelectorAll('input[name="ids"]');
  const ticked = [...boxes].filter((box) => box.checked).length;
  const all = form.querySelector("input[data-select-all]");
  if (all) {
    all.checked = ticked > 0 && ticked === boxes.length;
    all.indeterminate = ticked > 0 && ticked < boxes.length;
  }
  const count = form.querySelector("[data-bulk-count]");
  if (count) {
    count.textContent = ticked ? `${ticked} ticked:` : "With the ones you tick:";
    count.classList.toggle("has-selection", ticked > 0);
  }
}

function enableBulkForms(root) {
  for (const all of root.querySelectorAll("form.bulk input[data-select-all]")) {
    all.hidden = false;
    showBulkCount(bulkForm(all));
  }
}

document.addEventListener("change", (event) => {
  const form = bulkForm(event.target);
  if (!form) return;
  if (event.target.matches("input[data-select-all]")) {
    for (const box of form.querySelectorAll('input[name="ids"]')) box.checked = event.target.checked;
  }
  showBulkCount(form);
});
document.addEventListener("DOMContentLoaded", () => enableBulkForms(document));
document.addEventListener("htmx:afterSettle", (event) => enableBulkForms(event.target));
