/* Discussions without full reloads: the same forms, sent in the background.
 *
 * Without this file every form posts and the server redirects back to the comment's anchor.
 * With it, a form inside a [data-discussions] section is sent with fetch(); the section is then
 * replaced by the one in the page the server answered with (the redirect is followed), and the
 * focus goes to the new comment, so a screen reader hears it.  "Reply" opens the reply form in
 * place.  Any failure falls back to the ordinary submission.
 */
(function () {
  "use strict";
  function ids(root) {
    return Array.prototype.map.call(root.querySelectorAll("article[id^=comment-]"),
                                    function (a) { return a.id; });
  }
  function swap(section, html, edited) {
    var doc = new DOMParser().parseFromString(html, "text/html");
    var fresh = doc.getElementById(section.id);
    if (!fresh) { return false; }
    var before = ids(section);
    section.replaceWith(fresh);
    var added = ids(fresh).filter(function (id) { return before.indexOf(id) < 0; });
    var target = added.length ? document.getElementById(added[added.length - 1])
      : (edited ? document.getElementById(edited) : null);
    if (target) { target.setAttribute("tabindex", "-1"); target.focus(); }
    return true;
  }
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var section = form.closest("[data-discussions]");
    if (!section || event.submitter && event.submitter.name === "preview") { return; }
    event.preventDefault();
    fetch(form.action, {method: "POST", body: new FormData(form), credentials: "same-origin"})
      .then(function (response) {
        return response.text().then(function (html) {
          if (!response.ok || !response.redirected) {
            document.open(); document.write(html); document.close();  // the form with its error
            return;
          }
          if (!swap(section, html, form.getAttribute("data-comment"))) {
            window.location = response.url;
          }
        });
      })
      .catch(function () { form.submit(); });
  });
  /* "Edit": the edit page's form replaces the comment's text in place; "Cancel" puts the text
   * back and the focus on "Edit"; "Save" goes through the submit handler above (the thread is
   * replaced, the focus goes to the edited comment). */
  document.addEventListener("click", function (event) {
    var cancel = event.target.closest && event.target.closest("article .discussions-edit-form a.discussions-cancel");
    if (cancel) {
      event.preventDefault();
      var open = cancel.closest("article");
      var inline = cancel.closest("form");
      var text = open.querySelector(".discussions-body");
      inline.remove();
      if (text) { text.hidden = false; }
      var again = open.querySelector("a.discussions-edit");
      if (again) { again.focus(); }
      return;
    }
    var edit = event.target.closest && event.target.closest("a.discussions-edit");
    if (!edit) { return; }
    var article = edit.closest("article");
    var body = article && article.querySelector(".discussions-body");
    if (!body || article.querySelector(".discussions-edit-form")) { return; }
    event.preventDefault();
    fetch(edit.href, {credentials: "same-origin"}).then(function (r) { return r.text(); })
      .then(function (html) {
        var doc = new DOMParser().parseFromString(html, "text/html");
        var form = doc.querySelector("form.discussions-edit-form");
        if (!form) { window.location = edit.href; return; }
        body.hidden = true;
        body.insertAdjacentElement("afterend", form);
        var area = form.querySelector("textarea");
        if (area) { area.focus(); area.setSelectionRange(area.value.length, area.value.length); }
      })
      .catch(function () { window.location = edit.href; });
  });
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a.discussions-reply");
    if (!link) { return; }
    var article = link.closest("article");
    if (!article || article.parentNode.querySelector(":scope > .discussions-form")) { return; }
    event.preventDefault();
    fetch(link.href, {credentials: "same-origin"}).then(function (r) { return r.text(); })
      .then(function (html) {
        var doc = new DOMParser().parseFromString(html, "text/html");
        var form = doc.querySelector("main .discussions-form") || doc.querySelector(".discussions-form");
        if (!form) { window.location = link.href; return; }
        article.insertAdjacentElement("afterend", form);
        var area = form.querySelector("textarea");
        if (area) { area.focus(); }
      })
      .catch(function () { window.location = link.href; });
  });
})();

/* Mention suggestions: typing "@" and a few letters in a comment box lists, under it, the people
 * who may see the item (GET .../discussions/mentions, at most 8) as an ARIA listbox: the box keeps
 * the focus and points at the highlighted option (aria-activedescendant); up and down arrows
 * move, Enter (or Tab) mentions, Escape closes; a status region announces how many people are
 * suggested.  Without this script "@Name" is still resolved by the server when posting.
 */
(function () {
  "use strict";
  var TRIGGER = /(^|[\s(])@([^\s@\d_][^@\n]{0,49})$/;
  var timer = null, seq = 0;

  function parts(area) {
    var listId = area.id + "-mentions";
    var list = document.getElementById(listId);
    if (!list) {
      list = document.createElement("ul");
      list.id = listId;
      list.className = "discussions-mentions";
      list.setAttribute("role", "listbox");
      list.setAttribute("aria-label", area.getAttribute("data-mention-label") || "");
      list.hidden = true;
      var status = document.createElement("p");
      status.id = area.id + "-mentions-status";
      status.className = "visually-hidden";
      status.setAttribute("role", "status");
      area.insertAdjacentElement("afterend", status);
      area.insertAdjacentElement("afterend", list);
      area.setAttribute("aria-autocomplete", "list");
      area.setAttribute("aria-controls", listId);
    }
    return {list: list, status: document.getElementById(area.id + "-mentions-status")};
  }

  function typed(area) {
    var before = area.value.slice(0, area.selectionStart);
    var match = TRIGGER.exec(before);
    return match ? match[2] : null;
  }

  function close(area) {
    var p = parts(area);
    p.list.hidden = true;
    p.list.innerHTML = "";
    area.removeAttribute("aria-activedescendant");
  }

  function highlight(area, index) {
    var options = parts(area).list.querySelectorAll("[role=option]");
    if (!options.length) { return; }
    index = (index + options.length) % options.length;
    Array.prototype.forEach.call(options, function (o, i) {
      o.setAttribute("aria-selected", i === index ? "true" : "false");
    });
    area.setAttribute("aria-activedescendant", options[index].id);
  }

  function current(area) {
    var list = parts(area).list;
    var options = Array.prototype.slice.call(list.querySelectorAll("[role=option]"));
    return options.findIndex(function (o) { return o.getAttribute("aria-selected") === "true"; });
  }

  function choose(area, option) {
    var q = typed(area);
    if (q === null || !option) { close(area); return; }
    var end = area.selectionStart;
    var start = end - q.length;
    var name = option.getAttribute("data-name");
    area.value = area.value.slice(0, start) + name + " " + area.value.slice(end);
    var caret = start + name.length + 1;
    area.setSelectionRange(caret, caret);
    close(area);
    area.focus();
  }

  function show(area, people) {
    var p = parts(area);
    p.list.innerHTML = "";
    if (!people.length) {
      close(area);
      p.status.textContent = area.getAttribute("data-mention-none") || "";
      return;
    }
    people.forEach(function (person, i) {
      var li = document.createElement("li");
      li.id = area.id + "-mention-" + person.id;
      li.setAttribute("role", "option");
      li.setAttribute("aria-selected", i === 0 ? "true" : "false");
      li.setAttribute("data-name", person.name);
      li.textContent = person.name;
      p.list.appendChild(li);
    });
    p.list.hidden = false;
    highlight(area, 0);
    p.status.textContent = (area.getAttribute("data-mention-status") || "")
      .replace("__N__", String(people.length));
  }

  function suggest(area) {
    var q = typed(area);
    if (q === null || !q.trim()) { close(area); return; }
    var mine = ++seq;
    clearTimeout(timer);
    timer = setTimeout(function () {
      var url = area.getAttribute("data-mention-url") + "&q=" + encodeURIComponent(q.trim());
      fetch(url, {credentials: "same-origin", headers: {"Accept": "application/json"}})
        .then(function (r) { return r.ok ? r.json() : []; })
        .then(function (people) { if (mine === seq) { show(area, people || []); } })
        .catch(function () { close(area); });
    }, 150);
  }

  document.addEventListener("input", function (event) {
    var area = event.target;
    if (area.matches && area.matches("textarea[data-mention-url]")) { suggest(area); }
  });
  document.addEventListener("keydown", function (event) {
    var area = event.target;
    if (!(area.matches && area.matches("textarea[data-mention-url]"))) { return; }
    var list = document.getElementById(area.id + "-mentions");
    if (!list || list.hidden) { return; }
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      highlight(area, current(area) + (event.key === "ArrowDown" ? 1 : -1));
    } else if (event.key === "Enter") {
      event.preventDefault();
      choose(area, list.querySelectorAll("[role=option]")[Math.max(current(area), 0)]);
    } else if (event.key === "Escape") {
      event.preventDefault();
      close(area);
    }
  });
  document.addEventListener("mousedown", function (event) {
    var option = event.target.closest && event.target.closest(".discussions-mentions [role=option]");
    if (!option) { return; }
    event.preventDefault();                       // the box keeps the focus
    var area = document.getElementById(option.parentNode.id.replace(/-mentions$/, ""));
    if (area) { choose(area, option); }
  });
  document.addEventListener("focusout", function (event) {
    var area = event.target;
    if (area.matches && area.matches("textarea[data-mention-url]")) {
      setTimeout(function () { if (document.activeElement !== area) { close(area); } }, 100);
    }
  });
  // An older link to a topic's reply ("…/topics/12#post-345", from before replies were shown
  // fifty a page) whose reply is on another page: ask the reply's own address, which redirects
  // to the page showing it.  New links are that address already and need no script.
  var held = /^#post-(\d+)$/.exec(window.location.hash);
  if (held && !document.getElementById("post-" + held[1]) &&
      /\/discussions\/topics\/\d+$/.test(window.location.pathname)) {
    window.location.replace(window.location.pathname + "/posts/" + held[1]);
  }
})();
