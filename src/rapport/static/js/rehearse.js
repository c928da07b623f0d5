// Rehearsal runner: one question at a time against a visible timer. "Next question" keeps
// the time for the one on screen, "Skip" leaves it blank, "Finish" saves. The times go
// into the page's own form (seconds-<id>), so without this script that form still works
// by hand. Screen readers hear the question and, every half minute, the time so far.
"use strict";

(() => {
  const ANNOUNCE_EVERY_S = 30; // polite updates at most this often, never every second
  const TICK_MS = 250;

  const runner = document.getElementById("runner");
  const form = document.getElementById("timings");
  if (!runner || !form) return;

  const $ = (name) => runner.querySelector(`[data-${name}]`);
  const questions = [...form.querySelectorAll("[data-rehearse-question]")].map((item) => ({
    text: item.querySelector("[data-text]").textContent,
    estimateS: Number(item.dataset.estimate) * 60,
    input: item.querySelector("input"),
  }));
  let current = -1;
  let questionStart = 0;
  let runStart = 0;
  let lastAnnounced = 0;
  let ticker = null;

  const clock = (ms) => {
    const seconds = Math.floor(ms / 1000);
    const mm = String(Math.floor(seconds / 60)).padStart(2, "0");
    const ss = String(seconds % 60).padStart(2, "0");
    return `${mm}:${ss}`;
  };
  const spoken = (seconds) => {
    const minutes = Math.floor(seconds / 60);
    const rest = seconds % 60;
    const parts = [];
    if (minutes) parts.push(`${minutes} minute${minutes === 1 ? "" : "s"}`);
    if (rest || !minutes) parts.push(`${rest} seconds`);
    return parts.join(" ");
  };
  const announce = (text) => { $("announce").textContent = text; };

  function tick() {
    const now = Date.now();
    const onQuestion = now - questionStart;
    const seconds = Math.floor(onQuestion / 1000);
    $("timer").textContent = clock(onQuestion);
    $("total").textContent = clock(now - runStart);
    runner.classList.toggle("over", seconds > questions[current].estimateS);
    if (seconds >= lastAnnounced + ANNOUNCE_EVERY_S) {
      lastAnnounced = seconds - (seconds % ANNOUNCE_EVERY_S);
      announce(`${spoken(lastAnnounced)} on this question.`);
    }
  }

  function show(index) {
    current = index;
    const question = questions[index];
    questionStart = Date.now();
    lastAnnounced = 0;
    $("count").textContent = `Question ${index + 1} of ${questions.length}`;
    $("question").textContent = question.text;
    $("aim").textContent = `Aim for about ${question.estimateS / 60} min.`;
    $("timer").textContent = "00:00";
    $("next").hidden = index === questions.length - 1;
    announce(`Question ${index + 1} of ${questions.length}: ${question.text}`);
  }

  function keep(seconds) {
    questions[current].input.value = seconds === null ? "" : String(seconds);
  }

  function move(seconds) {
    keep(seconds);
    if (current < questions.length - 1) show(current + 1);
    else finish(false);
  }

  function finish(timeCurrent) {
    if (timeCurrent && current >= 0) keep(Math.round((Date.now() - questionStart) / 1000));
    clearInterval(ticker);
    for (const button of runner.querySelectorAll("button")) button.disabled = true;
    announce("Saving your times.");
    form.requestSubmit ? form.requestSubmit() : form.submit();
  }

  $("start").addEventListener("click", () => {
    runStart = Date.now();
    $("start").hidden = true;
    $("skip").hidden = false;
    $("finish").hidden = false;
    show(0);
    ticker = setInterval(tick, TICK_MS);
    $("next").hidden ? $("finish").focus() : $("next").focus();
  });
  $("next").addEventListener("click", () => {
    move(Math.round((Date.now() - questionStart) / 1000));
    if ($("next").hidden) $("finish").focus();
  });
  $("skip").addEventListener("click", () => move(null));
  $("finish").addEventListener("click", () => finish(true));

  // With the runner in charge, the typed-in form is only the carrier of the times.
  runner.hidden = false;
  form.hidden = true;
})();
