// The meeting page: the countdown with its gentle cues, and notes that save themselves.
// Without this file the page still works: the clock shows the time left when it loaded,
// a due cue is shown by the server, and each notes box has its own "Save notes" button.
"use strict";

// --- the countdown --------------------------------------------------------------------------

function clockText(seconds) {
  const hours = Math.floor(seconds / 3600);
  const minutes = Math.floor((seconds % 3600) / 60);
  const rest = String(seconds % 60).padStart(2, "0");
  return hours ? `${hours}:${String(minutes).padStart(2, "0")}:${rest}` : `${minutes}:${rest}`;
}

function startCountdown(clock) {
  const endsAt = Date.parse(clock.dataset.endsAt);
  const length = Number(clock.dataset.durationSeconds);
  // The server's clock decides (tests may move it); this one only measures time passing.
  const skew = Date.parse(clock.dataset.serverNow) - Date.now();
  const now = () => Date.now() + skew;
  const banner = document.getElementById("time-cue");
  const cues = [...document.querySelectorAll("#time-cues li")].map((item) => ({
    at: Date.parse(item.dataset.at),
    text: item.textContent,
    shown: Date.parse(item.dataset.at) <= now(), // already due on load: the server shows it
  }));

  const tick = () => {
    const left = Math.max(0, Math.min(length, Math.ceil((endsAt - now()) / 1000)));
    clock.textContent = clockText(left);
    clock.classList.toggle("is-over", left === 0);
    for (const cue of cues) {
      if (cue.shown || now() < cue.at || now() >= endsAt) continue;
      cue.shown = true;
      banner.textContent = cue.text;
      banner.hidden = false;
      if (navigator.vibrate) navigator.vibrate([120, 80, 120]);
    }
    if (left === 0) {
      banner.textContent = clock.dataset.timeUp;
      banner.hidden = false;
      return;
    }
    setTimeout(tick, 1000 - (now() % 1000));
  };
  tick();
}

// --- notes that save themselves -------------------------------------------------------------

const SAVE_DELAY_MS = 800;
const pending = new Map(); // form -> timer, for boxes typed in but not yet saved

function csrfToken(form) {
  const field = form.querySelector('input[name="csrfmiddlewaretoken"]');
  return field ? field.value : "";
}

async function saveNotes(form) {
  clearTimeout(pending.get(form));
  pending.delete(form);
  const status = form.querySelector(".save-status");
  status.textContent = "Saving…";
  try {
    const response = await fetch(form.action, {
      method: "POST",
      body: new FormData(form),
      headers: { Accept: "application/json", "X-CSRFToken": csrfToken(form) },
      credentials: "same-origin",
    });
    const isJson = (response.headers.get("Content-Type") || "").includes("json");
    const answer = isJson ? await response.json() : {};
    if (!response.ok) {
      pending.set(form, null); // still unsaved: leaving the page warns
      showProblem(status, answer.error || "Not saved. Reload the page and try again.");
      return;
    }
    const at = new Date(answer.saved_at);
    status.textContent = `Saved ${at.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" })}`;
    status.classList.remove("is-error");
  } catch {
    pending.set(form, null);
    showProblem(status, "Not saved: no connection. Keep typing; it tries again.");
  }
}

function showProblem(status, text) {
  status.textContent = text;
  status.classList.add("is-error");
}

function enableAutosave(form) {
  const box = form.querySelector("textarea");
  box.addEventListener("input", () => {
    clearTimeout(pending.get(form));
    pending.set(form, setTimeout(() => saveNotes(form), SAVE_DELAY_MS));
    form.querySelector(".save-status").textContent = "Not saved yet";
  });
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    saveNotes(form);
  });
}

// Ending the meeting leaves the page: save what was typed first.
function flushBeforeLeaving(form) {
  form.addEventListener("submit", async (event) => {
    if (!pending.size) return;
    event.preventDefault();
    await Promise.all([...pending.keys()].map(saveNotes));
    form.submit();
  });
}

window.addEventListener("beforeunload", (event) => {
  if (pending.size) event.preventDefault();
});

document.addEventListener("DOMContentLoaded", () => {
  const clock = document.getElementById("countdown");
  if (clock && clock.dataset.endsAt && clock.dataset.running === "true") startCountdown(clock);
  for (const form of document.querySelectorAll("form[data-autosave]")) enableAutosave(form);
  for (const form of document.querySelectorAll("form[data-flush-notes]")) flushBeforeLeaving(form);
});
