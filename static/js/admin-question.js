// The admin's question form: show the answer rows, column names and hint that fit the chosen
// question type. Without this script every column and every hint is shown, and the server
// checks the answer the same way either way.
(function () {
  "use strict";
  var TYPES = ["single_choice", "multiple_choice", "true_false", "short_answer", "numeric", "ordering", "matching"];
  // Column names per type; null hides the column (see static/css/admin.css).
  var LABELS = {
    single_choice: { text: "Option", is_correct: "Right" },
    multiple_choice: { text: "Option", is_correct: "Right" },
    true_false: { text: "Option", is_correct: "Right" },
    short_answer: { text: "Accepted answer" },
    ordering: { text: "Item (in the right order)" },
    matching: { text: "Item (empty for the spare)", match_text: "Its match" }
  };

  function rename(group, column, label) {
    var th = group.querySelector("th.column-" + column);
    if (!th || !th.firstChild) { return; }
    if (!th.dataset.label) { th.dataset.label = th.firstChild.nodeValue.trim(); }
    th.firstChild.nodeValue = (label || th.dataset.label) + " ";
  }

  function textInputs(group) {
    return Array.prototype.filter.call(
      group.querySelectorAll("tr.form-row:not(.empty-form) td.field-text input"),
      function (input) { return !input.closest("tr").querySelector("td.delete input:checked"); }
    );
  }

  function offerTrueFalse(group) {
    var inputs = textInputs(group);
    var blank = inputs.every(function (input) { return !input.value.trim(); });
    if (blank && inputs.length >= 2) {
      inputs[0].value = "True";
      inputs[1].value = "False";
    }
  }

  function update(form, select) {
    var type = select.value;
    form.classList.add("qtype-js");
    TYPES.forEach(function (name) { form.classList.toggle("qtype-" + name, name === type); });
    var group = document.getElementById("choices-group");
    var labels = LABELS[type] || {};
    if (group) {
      rename(group, "text", labels.text);
      rename(group, "is_correct", labels.is_correct);
      rename(group, "match_text", labels.match_text);
      if (type === "true_false") { offerTrueFalse(group); }
    }
    var hints = document.querySelectorAll("#qtype-help [data-qtype]");
    Array.prototype.forEach.call(hints, function (hint) {
      hint.hidden = Boolean(type) && hint.getAttribute("data-qtype") !== type;
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var form = document.getElementById("question_form");
    var select = document.getElementById("id_type");
    if (!form || !select) { return; }  // the read-only view has no type to choose
    select.addEventListener("change", function () { update(form, select); });
    update(form, select);
  });
})();
