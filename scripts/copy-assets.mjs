// Copies the pinned GOV.UK Frontend and MOJ Frontend builds from node_modules into static/.
// The built CSS refers to /assets/fonts and /assets/images, and Flask serves static/ at /assets.
import { cpSync, mkdirSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const modules = join(root, "node_modules");
const stat = join(root, "static");

const copies = [
  ["govuk-frontend/dist/govuk/assets/fonts", "fonts"],
  ["govuk-frontend/dist/govuk/assets/images", "images"],
  ["govuk-frontend/dist/govuk/assets/manifest.json", "manifest.json"],
  ["govuk-frontend/dist/govuk/govuk-frontend.min.css", "govuk/govuk-frontend.min.css"],
  ["govuk-frontend/dist/govuk/govuk-frontend.min.js", "govuk/govuk-frontend.min.js"],
  ["@ministryofjustice/frontend/moj/assets/images", "images"],
  ["@ministryofjustice/frontend/moj/moj-frontend.min.css", "moj/moj-frontend.min.css"],
  ["@ministryofjustice/frontend/moj/moj-frontend.min.js", "moj/moj-frontend.min.js"],
];

for (const dir of ["fonts", "images", "govuk", "moj"]) {
  rmSync(join(stat, dir), { recursive: true, force: true });
}
for (const [from, to] of copies) {
  const target = join(stat, to);
  mkdirSync(dirname(target), { recursive: true });
  cpSync(join(modules, from), target, { recursive: true });
}
console.log(`Copied ${copies.length} GOV.UK and MOJ Frontend assets into static/`);
