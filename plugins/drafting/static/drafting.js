/* drafting: select a passage of a paragraph to comment on it (without JavaScript, the link
   beside each paragraph leads to its page, where the passage is typed or pasted). */
(function () {
  "use strict";
  var text = document.querySelector(".drafting-text");
  // A link written before comments moved to their paragraph's page ("#comment-<id>" on the
  // draft page, in older notifications): follow it to the comment's own address.
  var old = /^#comment-(\d+)$/.exec(window.location.hash);
  if (text && old && !document.getElementById("comment-" + old[1])) {
    window.location.replace(text.getAttribute("data-comment-url") + "/" + old[1]);
    return;
  }
  var template = document.getElementById("drafting-quote-form");
  var label = document.getElementById("drafting-quote-button-label");
  if (!text || !template || !label) { return; }
  var button = null;

  function bodyOf(node) {
    while (node && node !== text) {
      if (node.nodeType === 1 && node.hasAttribute("data-paragraph")) { return node; }
      node = node.parentNode;
    }
    return null;
  }

  function offsetIn(body, range) {
    var before = document.createRange();
    before.selectNodeContents(body);
    before.setEnd(range.startContainer, range.startOffset);
    return before.toString().length;
  }

  function openForm(body, quote, near) {
    var section = body.parentNode;
    var old = section.querySelector(".drafting-quote-form");
    if (old) { old.remove(); }
    var form = template.content.firstElementChild.cloneNode(true);
    form.querySelector("[name=paragraph]").value = body.getAttribute("data-paragraph");
    form.querySelector("[name=quote]").value = quote;
    form.querySelector("[name=near]").value = String(near);
    form.querySelector(".drafting-selected").textContent = quote;
    form.querySelector(".drafting-cancel").addEventListener("click", function () {
      form.remove();
    });
    body.insertAdjacentElement("afterend", form);
    form.querySelector("textarea").focus();
  }

  function onSelect() {
    var selection = window.getSelection();
    if (button) { button.remove(); button = null; }
    if (!selection || selection.isCollapsed || !selection.rangeCount) { return; }
    var range = selection.getRangeAt(0);
    var body = bodyOf(range.startContainer);
    if (!body || body !== bodyOf(range.endContainer)) { return; }
    var quote = selection.toString().replace(/\s+/g, " ").trim();
    if (!quote) { return; }
    var near = offsetIn(body, range);
    button = document.createElement("button");
    button.type = "button";
    button.className = "drafting-quote-button";
    button.textContent = label.textContent;
    button.addEventListener("click", function () {
      button.remove(); button = null;
      openForm(body, quote, near);
    });
    body.insertAdjacentElement("afterend", button);
  }

  text.addEventListener("mouseup", function () { window.setTimeout(onSelect, 0); });
  text.addEventListener("keyup", function (event) {
    if (event.shiftKey || event.key === "Shift") { onSelect(); }
  });
}());
