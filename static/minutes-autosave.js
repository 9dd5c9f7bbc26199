// Saves the draft minutes in the background every little while, so a lost connection or a closed laptop
// loses at most a few seconds of typing. Progressive enhancement: without JavaScript the form's own
// "Save the draft" button does the same. Nothing is kept in the browser's storage (case data is
// OFFICIAL-SENSITIVE); while the connection is down the text stays on the page and saving is retried.
//
// After a while without saving, the person is signed out (the area's idle time). The page cannot save
// then, and posting the form would only lose what it holds: so the script says so, and the "Save the
// draft" button checks first when the page has been quiet for that long.

const form = document.querySelector("form[data-autosave]");

if (form) {
  const url = form.dataset.autosave;
  const seconds = Number(form.dataset.autosaveSeconds) || 20;
  const idleMinutes = Number(form.dataset.idleMinutes) || 30;
  const status = form.querySelector("[data-autosave-status]");
  const version = form.querySelector("input[name='version']");
  // What the page's text was when last saved: the server saves only what changed since.
  const shown = form.querySelector("input[name='shown']");
  let changed = false;
  let saving = false;
  let stopped = false;
  let signedOut = false;
  let lastHeard = Date.now();
  let lastSaved = "";

  const say = (message) => {
    if (status) status.textContent = message;
  };

  const saySignedOut = () => {
    const since = lastSaved ? `since ${lastSaved}` : "since you opened this page";
    say(
      `Not saved: you have been signed out. Copy what you have written ${since} before you leave ` +
        "this page, sign in again and add it to the draft.",
    );
    if (status) status.focus();
  };

  form.addEventListener("input", () => {
    changed = true;
  });

  const save = async ({ always = false } = {}) => {
    if ((!changed && !always) || saving || stopped) return false;
    saving = true;
    changed = false;
    try {
      const response = await fetch(url, {
        method: "POST",
        body: new FormData(form),
        headers: { Accept: "application/json" },
        credentials: "same-origin",
        redirect: "manual",
      });
      const json = (response.headers.get("Content-Type") || "").includes("application/json");
      if (!json && (response.type === "opaqueredirect" || response.status < 500)) {
        // Sent to sign in, or told the form has expired, instead of an answer: signed out.
        stopped = true;
        signedOut = true;
        changed = true;
        saySignedOut();
        return false;
      }
      lastHeard = Date.now();
      const answer = await response.json().catch(() => ({}));
      if (response.ok && answer.saved) {
        version.value = answer.version;
        if (shown && answer.shown) shown.value = answer.shown;
        lastSaved = answer.saved_at.split(" at ").pop();
        say(`Draft saved at ${lastSaved}.${answer.note ? ` ${answer.note}` : ""}`);
        return true;
      }
      if (response.status === 409) {
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
    return false;
  };

  // The person's own save posts the form normally: background saving stops so the two never race.
  // Signed out, the post could not save and would leave this page: keep the page and say so. After a
  // quiet spell as long as the idle time, save in the background first to find out.
  form.addEventListener("submit", async (event) => {
    if (signedOut) {
      event.preventDefault();
      saySignedOut();
      return;
    }
    // A little before the idle time: the server notes activity once a minute, not at every request.
    if (Date.now() - lastHeard < (idleMinutes - 2) * 60 * 1000) {
      stopped = true;
      return;
    }
    event.preventDefault();
    await save({ always: true });
    if (!signedOut) {
      stopped = true;
      form.submit();
    }
  });

  window.setInterval(save, seconds * 1000);
  // Leaving a box after changing it is a natural moment to save too; a moment later, so that pressing
  // "Save the draft" (which also leaves the box) posts the form alone.
  form.addEventListener("change", () => window.setTimeout(save, 1500));
  window.addEventListener("online", () => save());
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "hidden") save();
  });
}
