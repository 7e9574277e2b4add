// While a title is typed on the submission form, list similar published entries (to avoid
// duplicates). Without JavaScript the same list appears on the preview step.
(function () {
  "use strict";
  var box = document.getElementById("similar-live");
  var title = document.getElementById("title");
  if (!box || !title || !window.fetch) { return; }
  var timer = null;
  var last = "";
  function show(results) {
    box.textContent = "";
    if (!results.length) { return; }
    var heading = document.createElement("p");
    heading.className = "help";
    heading.textContent = box.getAttribute("data-heading");
    var list = document.createElement("ul");
    results.slice(0, 5).forEach(function (r) {
      var item = document.createElement("li");
      var link = document.createElement("a");
      link.href = r.url;
      link.textContent = r.title;
      item.appendChild(link);
      list.appendChild(item);
    });
    box.appendChild(heading);
    box.appendChild(list);
  }
  title.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(function () {
      var text = title.value.trim();
      if (text.length < 4 || text === last) { return; }
      last = text;
      fetch(box.getAttribute("data-endpoint") + "?title=" + encodeURIComponent(text), {credentials: "same-origin"})
        .then(function (r) { return r.ok ? r.json() : {results: []}; })
        .then(function (data) { show(data.results || []); })
        .catch(function () { box.textContent = ""; });
    }, 400);
  });
}());
