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
  function swap(section, html) {
    var doc = new DOMParser().parseFromString(html, "text/html");
    var fresh = doc.getElementById(section.id);
    if (!fresh) { return false; }
    var before = ids(section);
    section.replaceWith(fresh);
    var added = ids(fresh).filter(function (id) { return before.indexOf(id) < 0; });
    var target = added.length ? document.getElementById(added[added.length - 1]) : null;
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
          if (!swap(section, html)) { window.location = response.url; }
        });
      })
      .catch(function () { form.submit(); });
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
