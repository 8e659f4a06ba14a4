// Starts GOV.UK Frontend's components (accordion, header menu …); pages work without it.
import { initAll } from "/govuk/govuk-frontend.min.js";
initAll();
