/* Title suggestions while typing in any search box (input[name=search]).
   Asks /w/rest.php/v1/search/title (prefix search, accents and case ignored) and shows a
   list under the box; arrows move, Enter opens, Escape closes. No dependencies. */
(function () {
  "use strict";
  var script = document.currentScript;
  var endpoint = (script && script.getAttribute("data-endpoint")) || "/w/rest.php/v1/search/title";
  var articlePath = (script && script.getAttribute("data-article-path")) || "/wiki/$1";

  function pageUrl(key) {
    return articlePath.replace("$1", encodeURIComponent(key).replace(/%3A/g, ":").replace(/%2F/g, "/"));
  }

  function attach(input) {
    var list = document.createElement("ul");
    list.className = "search-suggestions";
    list.setAttribute("role", "listbox");
    list.id = (input.id || "search") + "-suggestions";
    list.hidden = true;
    input.setAttribute("aria-controls", list.id);
    input.setAttribute("aria-autocomplete", "list");
    input.parentNode.insertBefore(list, input.nextSibling);
    var timer = null, asked = "", active = -1;

    function close() { list.hidden = true; active = -1; }

    function show(pages) {
      list.textContent = "";
      pages.forEach(function (page, i) {
        var li = document.createElement("li");
        li.setAttribute("role", "option");
        var a = document.createElement("a");
        a.href = pageUrl(page.key);
        a.textContent = page.title;
        if (page.matched_title) {
          var small = document.createElement("small");
          small.textContent = " ← " + page.matched_title;
          a.appendChild(small);
        }
        li.appendChild(a);
        list.appendChild(li);
      });
      list.hidden = pages.length === 0;
      active = -1;
    }

    function ask() {
      var text = input.value;
      if (!text.trim()) { close(); return; }
      if (text === asked) { return; }
      asked = text;
      fetch(endpoint + "?limit=10&q=" + encodeURIComponent(text), {headers: {Accept: "application/json"}})
        .then(function (r) { return r.ok ? r.json() : {pages: []}; })
        .then(function (data) { if (input.value === text) { show(data.pages || []); } })
        .catch(close);
    }

    function move(step) {
      var items = list.querySelectorAll("li");
      if (!items.length) { return; }
      if (active >= 0) { items[active].removeAttribute("aria-selected"); }
      active = (active + step + items.length) % items.length;
      items[active].setAttribute("aria-selected", "true");
    }

    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(ask, 120);
    });
    input.addEventListener("keydown", function (event) {
      if (list.hidden) { return; }
      if (event.key === "ArrowDown") { move(1); event.preventDefault(); }
      else if (event.key === "ArrowUp") { move(-1); event.preventDefault(); }
      else if (event.key === "Escape") { close(); }
      else if (event.key === "Enter" && active >= 0) {
        event.preventDefault();
        window.location.href = list.querySelectorAll("li a")[active].href;
      }
    });
    input.addEventListener("blur", function () { setTimeout(close, 200); });
  }

  function start() {
    var inputs = document.querySelectorAll("input[name=search]");
    for (var i = 0; i < inputs.length; i++) { attach(inputs[i]); }
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
