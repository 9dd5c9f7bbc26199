// Saves the draft minutes in the background every little while, so a lost connection or a closed laptop
// loses at most a few seconds of typing. Progressive enhancement: without JavaScript the form's own
// "Save the draft" button does the same. Nothing is kept in the browser's storage (case data is
// OFFICIAL-SENSITIVE); while the connection is down the text stays on the page and saving is retried.

const form = document.querySelector("form[data-autosave]");

if (form) {
  const url = form.dataset.autosave;
  const seconds = Number(form.dataset.autosaveSeconds) || 20;
  const status = form.querySelector("[data-autosave-status]");
  const version = form.querySelector("input[name='version']");
  // What the page's text was when last saved: the server saves only what changed since.
  const shown = form.querySelector("input[name='shown']");
  let changed = false;
  let saving = false;
  let stopped = false;

  const say = (message) => {
    if (status) status.textContent = message;
  };

  form.addEventListener("input", () => {
    changed = true;
  });
  // The person's own save posts the form normally: background saving stops so the two never race.
  form.addEventListener("submit", () => {
    stopped = true;
  });

  const save = async () => {
    if (!changed || saving || stopped) return;
    saving = true;
    changed = false;
    try {
      const response = await fetch(url, {
        method: "POST",
        body: new FormData(form),
        headers: { Accept: "application/json" },
        credentials: "same-origin",
      });
      const answer = await response.json().catch(() => ({}));
      if (response.ok && answer.saved) {
        version.value = answer.version;
        if (shown && answer.shown) shown.value = answer.shown;
        say(`Draft saved at ${answer.saved_at.split(" at ").pop()}.${answer.note ? ` ${answer.note}` : ""}`);
      } else if (response.status === 409) {
        // Someone else saved: stop, and let the person's own save show both texts.
        stopped = true;
        say(answer.message || "Someone else changed this draft. Save it to see both versions.");
      } else {
        changed = true;
        say(answer.message || "The draft could not be saved just now. It will be tried again.");
      }
    } catch {
      changed = true;
      say("Not saved: the connection was lost. Your text is still here and will be saved when it is back.");
    } finally {
      saving = false;
    }
  };

  window.setInterval(save, seconds * 1000);
  // Leaving a box after changing it is a natural moment to save too; a moment later, so that pressing
  // "Save the draft" (which also leaves the box) posts the form alone.
  form.addEventListener("change", () => window.setTimeout(save, 1500));
  window.addEventListener("online", save);
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "hidden") save();
  });
}
