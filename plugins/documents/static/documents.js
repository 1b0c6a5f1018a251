/* documents: progressive enhancements.  Without JavaScript the upload form posts all files at
   once and the photo viewer is plain links; with it, files can be dropped, each file is sent on
   its own with a progress bar (a refused file does not hold back the others), and the arrow
   keys move between photos. */
(function () {
  "use strict";
  var fr = document.documentElement.lang === "fr";
  function t(en, frText) { return fr ? frText : en; }

  // -- photo viewer: arrow keys and Escape follow the viewer's links ----------------------------
  var viewer = document.querySelector("[data-documents-viewer]");
  if (viewer) {
    document.addEventListener("keydown", function (event) {
      var tag = (event.target && event.target.tagName) || "";
      if (/INPUT|TEXTAREA|SELECT/.test(tag) || event.altKey || event.ctrlKey || event.metaKey) { return; }
      var link = viewer.querySelector('a[data-key="' + event.key + '"]');
      if (link) { event.preventDefault(); window.location.href = link.href; }
    });
  }

  // -- upload: drop zone, one request per file, progress ----------------------------------------
  var form = document.querySelector("form[data-documents-upload]");
  if (!form || !window.FormData || !window.XMLHttpRequest) { return; }
  var input = form.querySelector('input[type="file"]');
  var zone = form.querySelector(".documents-drop");
  var status = form.querySelector(".documents-progress");
  if (!input || !zone || !status) { return; }

  zone.classList.add("documents-drop-on");
  var hint = document.createElement("p");
  hint.className = "help";
  hint.textContent = t("You can also drop files here.", "Vous pouvez aussi déposer les fichiers ici.");
  zone.appendChild(hint);
  ["dragenter", "dragover"].forEach(function (name) {
    zone.addEventListener(name, function (event) { event.preventDefault(); zone.classList.add("documents-drag"); });
  });
  ["dragleave", "drop"].forEach(function (name) {
    zone.addEventListener(name, function () { zone.classList.remove("documents-drag"); });
  });
  zone.addEventListener("drop", function (event) {
    event.preventDefault();
    if (event.dataTransfer && event.dataTransfer.files.length) {
      try { input.files = event.dataTransfer.files; } catch (e) { /* old browsers: use the field */ }
      input.dispatchEvent(new Event("change"));
    }
  });

  function send(file, single, onProgress) {
    return new Promise(function (resolve) {
      var data = new FormData(form);
      data.delete("files");
      if (!single) { data.delete("title"); data.delete("alt_text"); }
      data.append("files", file, file.name);
      var request = new XMLHttpRequest();
      request.open("POST", form.getAttribute("action") || window.location.href);
      request.setRequestHeader("X-Requested-With", "XMLHttpRequest");
      request.upload.addEventListener("progress", function (event) {
        if (event.lengthComputable) { onProgress(event.loaded / event.total); }
      });
      request.addEventListener("load", function () {
        var body = null;
        try { body = JSON.parse(request.responseText); } catch (e) { body = null; }
        if (request.status === 201 && body) { resolve({ ok: true, body: body }); return; }
        var message = body && body.error ? ((body.error.details && body.error.details.length)
          ? body.error.details.map(function (d) { return d.message; }).join(" ") : body.error.message)
          : (request.status === 413 ? t("The file is too large.", "Le fichier est trop volumineux.")
                                    : t("The file could not be sent.", "Le fichier n’a pas pu être envoyé."));
        resolve({ ok: false, message: message });
      });
      request.addEventListener("error", function () {
        resolve({ ok: false, message: t("The connection was lost.", "La connexion a été perdue.") });
      });
      request.send(data);
    });
  }

  form.addEventListener("submit", function (event) {
    var files = Array.prototype.slice.call(input.files || []);
    if (!files.length) { return; }  // let the server say "choose a file"
    event.preventDefault();
    var button = form.querySelector('button[type="submit"]');
    if (button) { button.disabled = true; }
    status.hidden = false;
    status.innerHTML = "";
    var list = document.createElement("ul");
    list.className = "plain";
    status.appendChild(list);
    var rows = files.map(function (file) {
      var item = document.createElement("li");
      var label = document.createElement("span");
      label.textContent = file.name + " ";
      var bar = document.createElement("progress");
      bar.max = 100; bar.value = 0;
      bar.setAttribute("aria-label", file.name);
      var note = document.createElement("span");
      item.appendChild(label); item.appendChild(bar); item.appendChild(note);
      list.appendChild(item);
      return { bar: bar, note: note };
    });
    var describe = [], next = null, failures = 0, index = 0;
    function step() {
      if (index >= files.length) {
        if (button) { button.disabled = false; }
        if (!failures) {
          if (describe.length) {
            window.location.href = form.dataset.describeUrl + "?ids=" + describe.join(",");
          } else if (next) { window.location.href = next; }
          return;
        }
        var summary = document.createElement("p");
        summary.setAttribute("role", "alert");
        summary.className = "error";
        summary.textContent = t(failures + " file(s) refused; the others were stored.",
                                failures + " fichier(s) refusé(s) ; les autres sont enregistrés.");
        status.appendChild(summary);
        if (next) {
          var link = document.createElement("a");
          link.href = describe.length ? form.dataset.describeUrl + "?ids=" + describe.join(",") : next;
          link.textContent = t("Continue", "Continuer");
          status.appendChild(link);
        }
        return;
      }
      var row = rows[index];
      send(files[index], files.length === 1, function (ratio) { row.bar.value = Math.round(ratio * 100); })
        .then(function (result) {
          if (result.ok) {
            row.bar.value = 100;
            row.note.textContent = " " + t("stored", "enregistré");
            next = result.body.back || result.body.next;
            describe = describe.concat(result.body.describe || []);
          } else {
            failures += 1;
            row.note.textContent = " " + result.message;
            row.note.className = "error";
          }
          index += 1;
          step();
        });
    }
    step();
  });
})();
