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
