// Starts GOV.UK Frontend and MOJ Frontend components. Loaded as a module, so no inline script is needed.
import { initAll as initGovuk } from "./govuk/govuk-frontend.min.js";
import { initAll as initMoj } from "./moj/moj-frontend.min.js";

initGovuk();
initMoj();

// Links and buttons marked data-print print the page (used on minutes and registers).
for (const element of document.querySelectorAll("[data-print]")) {
  element.addEventListener("click", (event) => {
    event.preventDefault();
    window.print();
  });
}

// Links marked data-history-back go back in the browser's history when there is somewhere to go back to
// (the download question returns to the page the download was asked from); otherwise they follow href.
for (const element of document.querySelectorAll("[data-history-back]")) {
  element.addEventListener("click", (event) => {
    if (window.history.length > 1) {
      event.preventDefault();
      window.history.back();
    }
  });
}
