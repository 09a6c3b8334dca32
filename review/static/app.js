// fentwatch review: keyboard shortcuts. Every action is a normal form POST; this file only adds keys.
(function () {
  "use strict";
  const page = document.body.dataset.page;
  // keys are for the page, except while the moderator types or chooses in a field
  const typing = (el) => el && (el.tagName === "TEXTAREA" || el.tagName === "SELECT" ||
    (el.tagName === "INPUT" && !["checkbox", "radio", "button", "submit"].includes(el.type)));

  const help = document.getElementById("keys");
  const helpButton = document.getElementById("keys-help");
  if (helpButton && help) helpButton.addEventListener("click", () => help.showModal());

  function submitWith(form, action) {
    const button = form.querySelector('button[name="action"][value="' + action + '"]');
    if (button) form.requestSubmit(button);
  }

  function dismiss(form) {
    // choose the reason first: focus the reason list; Enter in it submits the dismissal
    const reason = form.querySelector("select.reason");
    if (!reason) return;
    if (!reason.value) { reason.focus(); return; }
    submitWith(form, "dismiss");
  }

  document.querySelectorAll("select.reason").forEach((sel) => {
    sel.addEventListener("keydown", (ev) => {
      if (ev.key === "Enter" && sel.value) { ev.preventDefault(); submitWith(sel.form, "dismiss"); }
      if (ev.key === "Escape") sel.blur();
    });
  });

  // the t key asks first: a takedown is a request to a platform, so one stray key must not send one
  const confirmBar = document.getElementById("confirm");
  let pending = null;
  function askTakedown(form, before, what) {
    if (!form || !confirmBar) return;
    pending = { form: form, before: before };
    confirmBar.textContent = "Request takedown of " + what + "? Press Enter to confirm, Esc to cancel.";
    confirmBar.hidden = false;
  }
  function settle(go) {
    const p = pending;
    pending = null;
    confirmBar.hidden = true;
    confirmBar.textContent = "";
    if (go && p) { if (p.before) p.before(); submitWith(p.form, "takedown"); }
  }

  let rows = Array.from(document.querySelectorAll("tr.row"));
  let at = Math.max(0, rows.findIndex((r) => r.classList.contains("focus")));

  function focusRow(i) {
    if (!rows.length) return;
    at = Math.min(Math.max(i, 0), rows.length - 1);
    rows.forEach((r) => r.classList.remove("focus"));
    rows[at].classList.add("focus");
    rows[at].scrollIntoView({ block: "nearest" });
  }

  function queueSelection(form) {
    // act on the ticked rows, or on the focused row when none is ticked
    const ticked = form.querySelectorAll('input[name="ids"]:checked');
    if (!ticked.length && rows[at]) rows[at].querySelector('input[name="ids"]').checked = true;
  }

  document.addEventListener("keydown", (ev) => {
    if (pending) { ev.preventDefault(); settle(ev.key === "Enter"); return; }
    if (ev.ctrlKey || ev.metaKey || ev.altKey || typing(document.activeElement)) return;
    if (ev.key === "?") { if (help) help.showModal(); return; }
    if (ev.key === "u") { window.location.href = "/queue"; return; }
    if (ev.key === "/" && document.getElementById("q")) { ev.preventDefault(); document.getElementById("q").focus(); return; }
    if (page === "queue") {
      const form = document.getElementById("bulk");
      if (ev.key === "j") focusRow(at + 1);
      else if (ev.key === "k") focusRow(at - 1);
      else if (ev.key === "x" && rows[at]) { const cb = rows[at].querySelector('input[name="ids"]'); cb.checked = !cb.checked; }
      else if ((ev.key === "o" || ev.key === "Enter") && rows[at]) window.location.href = rows[at].dataset.href;
      else if (ev.key === "t" && form) {
        const n = form.querySelectorAll('input[name="ids"]:checked').length;
        askTakedown(form, () => queueSelection(form), n ? n + " selected listing(s)" : "the highlighted listing");
      }
      else if (ev.key === "e" && form) { queueSelection(form); submitWith(form, "escalate"); }
      else if (ev.key === "d" && form) { queueSelection(form); dismiss(form); }
      else return;
      ev.preventDefault();
    } else if (page === "listing") {
      const form = document.getElementById("decide");
      const article = document.querySelector("article.listing");
      if (ev.key === "t") askTakedown(form, null, "this listing");
      else if (ev.key === "e") submitWith(form, "escalate");
      else if (ev.key === "d") dismiss(form);
      else if (ev.key === "c") { const b = document.querySelector('#claim-form button[data-key="c"]'); if (b) b.click(); }
      else if (ev.key === "n" && article.dataset.next) window.location.href = article.dataset.next;
      else return;
      ev.preventDefault();
    }
  });
})();
