/* «Legg til rad» for the step forms' formsets: appends a copy of the formset's empty form (a table row
   or a card) and bumps TOTAL_FORMS. No dependencies; one listener on the document, so it survives Viewflow's Turbo page swaps. */
(function () {
  if (window.lktFormsetAddRow) {
    return;
  }
  window.lktFormsetAddRow = true;
  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("[data-formset-add]") : null;
    if (!button) {
      return;
    }
    event.preventDefault();
    var prefix = button.getAttribute("data-formset-add");
    var total = document.getElementById("id_" + prefix + "-TOTAL_FORMS");
    var max = document.getElementById("id_" + prefix + "-MAX_NUM_FORMS");
    var template = document.getElementById(prefix + "-empty-form");
    var container = document.querySelector('[data-formset="' + prefix + '"]');
    var body = container && (container.tBodies ? container.tBodies[0] : container);
    if (!total || !template || !body) {
      return;
    }
    var index = parseInt(total.value, 10);
    if (max && index >= parseInt(max.value, 10)) {
      return;
    }
    body.insertAdjacentHTML("beforeend", template.innerHTML.replace(/__prefix__/g, String(index)));
    total.value = String(index + 1);
    var rows = body.querySelectorAll("[data-formset-row]");
    var field = rows[rows.length - 1].querySelector("input:not([type=hidden]), select, textarea");
    if (field) {
      field.focus();
    }
  });
})();
