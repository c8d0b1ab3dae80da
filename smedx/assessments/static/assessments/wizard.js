// Self-assessment wizard: the browser side of autosave. The server validates and computes everything;
// this file only keeps "无" exclusive while ticking, keeps what is typed while a save is under way,
// and says clearly what happened when a save could not reach the server.
(function () {
  "use strict";

  var alertBox = document.getElementById("wizard-alert");
  var pending = new Set(); // ids of the items whose last change did not reach the server

  function show(kind) {
    if (!alertBox) return;
    alertBox.textContent = alertBox.dataset["msg" + kind] || alertBox.dataset.msgError;
    if (kind === "Expired") {
      var link = document.createElement("a");
      link.href = alertBox.dataset.loginUrl;
      link.className = "alert-link ms-2";
      link.textContent = alertBox.dataset.loginText;
      alertBox.appendChild(link);
    }
    alertBox.classList.remove("d-none");
  }

  function hide() {
    if (alertBox && !pending.size) alertBox.classList.add("d-none");
  }

  // "无" (the exclusive option) and the other options of a multiple-choice item exclude each other.
  // Capture phase: the boxes are set right before htmx reads the form on the same change event.
  document.addEventListener("change", function (event) {
    var box = event.target;
    if (!box.matches || !box.matches("input[type=checkbox][name=options]") || !box.checked) return;
    var form = box.form;
    form.querySelectorAll("input[type=checkbox][name=options]").forEach(function (other) {
      if (other !== box && (box.hasAttribute("data-exclusive") || other.hasAttribute("data-exclusive"))) {
        other.checked = false;
      }
    });
  }, true);

  // Never replace an item while it holds changes the server has not seen yet (typed into the next field
  // while the last save was under way): that change posts the item again, and its answer is swapped in.
  function state(form) {
    return new URLSearchParams(new FormData(form)).toString();
  }
  function remember(root) {
    root.querySelectorAll("form[data-item-form]").forEach(function (form) {
      form.dataset.state = state(form);
    });
  }
  remember(document);
  document.body.addEventListener("htmx:load", function (event) {
    remember(event.detail.elt.parentNode || event.detail.elt);
  });
  document.body.addEventListener("htmx:configRequest", function (event) {
    var form = event.detail.elt;
    if (form.matches && form.matches("form[data-item-form]")) form.dataset.state = state(form);
  });
  function unsent(target) {
    var form = target && target.querySelector && target.querySelector("form[data-item-form]");
    return Boolean(form && form.dataset.state !== undefined && state(form) !== form.dataset.state);
  }
  document.body.addEventListener("htmx:beforeSwap", function (event) {
    var status = event.detail.xhr.status;
    if (status === 401 || status === 403 || status >= 500 || unsent(event.detail.target)) {
      event.detail.shouldSwap = false;
    }
  });
  // The items that borrow the saved item's figures come along out of band (B3 with B2).
  document.body.addEventListener("htmx:oobBeforeSwap", function (event) {
    if (unsent(event.detail.target)) event.detail.shouldSwap = false;
  });

  // What did not get through is kept by item and sent again as soon as the server answers again.
  function itemOf(elt) {
    var block = elt.closest && elt.closest(".item-block");
    return block ? block.id : null;
  }
  function resend() {
    pending.forEach(function (id) {
      var form = document.querySelector("#" + id + " form[data-item-form]");
      pending.delete(id);
      if (form) htmx.trigger(form, "change");
    });
  }
  document.body.addEventListener("htmx:afterRequest", function (event) {
    var id = itemOf(event.detail.elt);
    if (!event.detail.successful) return;
    if (id) pending.delete(id);
    hide();
    resend();
  });
  document.body.addEventListener("htmx:responseError", function (event) {
    var status = event.detail.xhr.status;
    var id = itemOf(event.detail.elt);
    if (id && status !== 401 && status !== 403) pending.add(id);
    show(status === 401 ? "Expired" : status === 403 ? "Refused" : "Error");
  });
  document.body.addEventListener("htmx:sendError", function (event) {
    var id = itemOf(event.detail.elt);
    if (id) pending.add(id);
    show("Offline");
  });
  window.addEventListener("online", resend);
})();
