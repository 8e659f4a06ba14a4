// A picker's text box becomes a type-ahead (alphagov's accessible-autocomplete, served
// from npm's build at /autocomplete/). The page works without it: the box and its Find
// button list the matches as radios. Markup (careteam/_staff_picker.html):
//   <div class="govuk-form-group" data-picker-source="/care-team/staff?…" data-picker-field="user_id">
//     <label for="worker">…</label> <input id="worker" name="worker"> <button name="find">…</button>
//   </div>
// The source answers a list of {id, name, team, service, role}; the chosen id is posted in
// a hidden field named data-picker-field, so the form posts what the radios would.
import "/autocomplete/accessible-autocomplete.min.js"; // sets window.accessibleAutocomplete

const MIN_LENGTH = 2;

function escapeHtml(text) {
  const entities = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };
  return String(text).replace(/[&<>"']/g, (c) => entities[c]);
}

// What the box shows once someone is chosen (the defaultValue is a plain string).
function inputValue(choice) {
  if (!choice) return "";
  return typeof choice === "string" ? choice : choice.name;
}

// One suggestion in the list: accessible-autocomplete inserts it as HTML, so every part
// that came from the database is escaped.
function suggestion(choice) {
  if (typeof choice === "string") return escapeHtml(choice);
  return (
    `${escapeHtml(choice.name)}, ${escapeHtml(choice.team)} (${escapeHtml(choice.service)}), ` +
    `<span class="caremap-picker__role">${escapeHtml(choice.role)}</span>`
  );
}

// Asks the server for the staff matching what is typed; only the latest answer is shown.
function staffSource(url) {
  let latest = 0;
  return (query, populate) => {
    const asked = ++latest;
    const address = new URL(url, window.location.href);
    address.searchParams.set("q", query);
    fetch(address, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then((response) => (response.ok ? response.json() : []))
      .catch(() => [])
      .then((staff) => {
        if (asked === latest) populate(staff);
      });
  };
}

function enhance(group) {
  const form = group.closest("form");
  const field = group.dataset.pickerField;
  const box = group.querySelector("input.govuk-input");
  // The matches are listed as radios (the Find button was used): choose there instead.
  if (!form || !box || form.querySelector(`input[type="radio"][name="${field}"]`)) return;

  let hidden = form.querySelector(`input[type="hidden"][name="${field}"]`);
  if (!hidden) {
    hidden = document.createElement("input");
    hidden.type = "hidden";
    hidden.name = field;
    form.appendChild(hidden);
  }
  let chosenName = hidden.value ? box.value : null;

  const container = document.createElement("div");
  container.className = "caremap-picker__box";
  const describedBy = box.getAttribute("aria-describedby");
  const hasError = box.classList.contains("govuk-input--error");
  box.replaceWith(container);
  // Without its Find button, Enter in the form adds the one chosen (or asks to choose).
  group.querySelector(".caremap-picker__find")?.remove();

  window.accessibleAutocomplete({
    element: container,
    id: box.id,
    name: box.name,
    defaultValue: box.value,
    minLength: MIN_LENGTH,
    source: staffSource(group.dataset.pickerSource),
    templates: { inputValue, suggestion },
    inputClasses: hasError ? "govuk-input--error" : null,
    tNoResults: () => "Nobody who can be chosen here matches",
    onConfirm: (choice) => {
      if (choice && typeof choice !== "string") {
        hidden.value = String(choice.id);
        chosenName = choice.name;
      }
    },
  });

  const input = container.querySelector("input[role='combobox']");
  // The box's hint and error still describe it (the library sets its own hint too).
  if (describedBy && input) {
    const own = input.getAttribute("aria-describedby");
    input.setAttribute("aria-describedby", [describedBy, own].filter(Boolean).join(" "));
  }
  // Changing the name after choosing takes the choice back: the id never disagrees with it.
  input?.addEventListener("input", () => {
    if (input.value !== chosenName) hidden.value = "";
  });
}

document.querySelectorAll("[data-picker-source][data-picker-field]").forEach(enhance);
