// The entry picker, enhanced: while words are typed in a "Linked entry" field, the published entries
// whose titles resemble them are offered as the field's suggestions (a datalist: the browser's own,
// accessible list); choosing one puts its address part (slug) in the field. Without JavaScript the
// row's "Find" button posts the form and the same entries come back as choices.
(function () {
  "use strict";
  if (!window.fetch) { return; }
  Array.prototype.forEach.call(document.querySelectorAll(".picker"), function (box, n) {
    var input = box.querySelector("input[type=text]");
    if (!input) { return; }
    var list = document.createElement("datalist");
    list.id = "picker-list-" + n;
    box.appendChild(list);
    input.setAttribute("list", list.id);
    input.setAttribute("autocomplete", "off");
    var timer = null;
    var last = "";
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () {
        var text = input.value.trim();
        if (text.length < 2 || text === last || /^[a-z0-9-]+$/.test(text) && list.querySelector("option[value='" + text + "']")) { return; }
        last = text;
        fetch(box.getAttribute("data-endpoint") + "?title=" + encodeURIComponent(text), {credentials: "same-origin"})
          .then(function (r) { return r.ok ? r.json() : {results: []}; })
          .then(function (data) {
            list.textContent = "";
            (data.results || []).slice(0, 8).forEach(function (r) {
              var option = document.createElement("option");
              option.value = r.slug;
              option.label = r.title;
              option.textContent = r.title;
              list.appendChild(option);
            });
          })
          .catch(function () { list.textContent = ""; });
      }, 300);
    });
  });
}());
