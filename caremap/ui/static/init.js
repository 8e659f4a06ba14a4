// Starts GOV.UK Frontend's components (accordion, header menu …); pages work without it.
import { initAll } from "/govuk/govuk-frontend.min.js";
initAll();

// On a narrow screen a wide table scrolls inside its own box (caremap.css); a box that
// scrolls must be reachable by keyboard too, so it joins the tab order while it scrolls.
function scrollableTablesTakeFocus() {
  for (const table of document.querySelectorAll(".govuk-main-wrapper .govuk-table")) {
    if (table.scrollWidth > table.clientWidth) {
      table.setAttribute("tabindex", "0");
    } else if (table.getAttribute("tabindex") === "0") {
      table.removeAttribute("tabindex");
    }
  }
}
scrollableTablesTakeFocus();
window.addEventListener("resize", scrollableTablesTakeFocus);
