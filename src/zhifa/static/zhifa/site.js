/* zhifa — the little script every staff page loads. Pages work without it; it adds:
   1. sortable column headers on list pages (the server sorts: ?sort=field / -field);
   2. the page-size choice submits itself;
   3. one menu open at a time, closed by a click elsewhere or Escape;
   4. photo and file uploads that survive a lost connection: a form with a file is sent in the
      background; when the network is gone it is kept in the browser (IndexedDB) and sent again
      as soon as the connection is back, even after the page was closed. */
(function () {
  "use strict";

  /* ---- 1. sortable headers ---- */
  function sortableHeaders() {
    var data = document.getElementById("zhifa-sortable");
    var bar = document.querySelector("[data-listing]");
    if (!data || !bar) return;
    var spec = JSON.parse(data.textContent);
    var columns = spec.columns, current = spec.sort || "";
    // The list's table is the last table before the pagination bar.
    var tables = Array.prototype.filter.call(document.querySelectorAll("main table"), function (t) {
      return t.compareDocumentPosition(bar) & Node.DOCUMENT_POSITION_FOLLOWING;
    });
    var table = tables[tables.length - 1];
    if (!table) return;
    var labels = Object.keys(columns);
    table.querySelectorAll("thead th").forEach(function (th) {
      var text = th.textContent.trim();
      if (!text || th.querySelector("a, input, button")) return;
      var field = columns[text];
      if (!field) {
        var near = labels.filter(function (l) { return l.indexOf(text) !== -1; });
        if (near.length === 1) field = columns[near[0]];
      }
      if (!field) return;
      var params = new URLSearchParams(window.location.search);
      var next = current === field ? "-" + field : field;
      params.set("sort", next);
      params.delete("page");
      var link = document.createElement("a");
      link.href = "?" + params.toString();
      link.className = "sort-link";
      link.textContent = text;
      if (current === field || current === "-" + field) {
        var down = current.charAt(0) === "-";
        th.setAttribute("aria-sort", down ? "descending" : "ascending");
        link.classList.add(down ? "is-desc" : "is-asc");
        link.title = down ? "按此列升序" : "按此列降序";
      } else {
        link.title = "按此列排序";
      }
      th.textContent = "";
      th.appendChild(link);
    });
  }

  /* ---- 2. page size ---- */
  function autoSubmit() {
    document.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
      select.addEventListener("change", function () { select.form.submit(); });
    });
  }

  /* ---- 3. menus ---- */
  function openMenus() {
    return Array.prototype.slice.call(document.querySelectorAll(".nav__menu[open], .nav__user[open]"));
  }

  function menus() {
    document.querySelectorAll(".nav__menu, .nav__user").forEach(function (menu) {
      menu.addEventListener("toggle", function () {
        if (menu.open) openMenus().forEach(function (other) { if (other !== menu) other.open = false; });
      });
    });
  }

  function closeMenusOutside() {
    document.addEventListener("click", function (event) {
      openMenus().forEach(function (menu) { if (!menu.contains(event.target)) menu.open = false; });
    });
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape") openMenus().forEach(function (menu) { menu.open = false; });
    });
  }

  /* ---- 4. uploads that survive a lost connection ---- */
  var DB_NAME = "zhifa-uploads", STORE = "pending", RETRY_MS = 15000;
  var statusBox = null;

  function say(text, level) {
    statusBox = statusBox || document.getElementById("upload-status");
    if (!statusBox) return;
    statusBox.textContent = text;
    statusBox.className = "upload-status upload-status--" + (level || "info");
    statusBox.hidden = !text;
  }

  function openDb() {
    return new Promise(function (resolve, reject) {
      if (!window.indexedDB) { reject(new Error("no IndexedDB")); return; }
      var request = indexedDB.open(DB_NAME, 1);
      request.onupgradeneeded = function () { request.result.createObjectStore(STORE, { keyPath: "id", autoIncrement: true }); };
      request.onsuccess = function () { resolve(request.result); };
      request.onerror = function () { reject(request.error); };
    });
  }

  function withStore(mode, fn) {
    return openDb().then(function (db) {
      return new Promise(function (resolve, reject) {
        var tx = db.transaction(STORE, mode);
        var result = fn(tx.objectStore(STORE));
        tx.oncomplete = function () { resolve(result && result.result !== undefined ? result.result : result); };
        tx.onerror = function () { reject(tx.error); };
      });
    });
  }

  var memoryQueue = [];  // when IndexedDB is not available (private windows)

  function entriesOf(formData) {
    var entries = [];
    formData.forEach(function (value, name) {
      entries.push(value instanceof File ? { name: name, file: value, filename: value.name } : { name: name, value: value });
    });
    return entries;
  }

  function formDataOf(entries) {
    var data = new FormData();
    entries.forEach(function (e) { if (e.file) data.append(e.name, e.file, e.filename); else data.append(e.name, e.value); });
    return data;
  }

  function keep(item) {
    return withStore("readwrite", function (store) { return store.add(item); })
      .catch(function () { memoryQueue.push(item); });
  }

  function pending() {
    return withStore("readonly", function (store) { return store.getAll(); })
      .then(function (rows) { return (rows || []).concat(memoryQueue); })
      .catch(function () { return memoryQueue.slice(); });
  }

  function forget(item) {
    if (item.id === undefined) { memoryQueue.splice(memoryQueue.indexOf(item), 1); return Promise.resolve(); }
    return withStore("readwrite", function (store) { return store.delete(item.id); }).catch(function () {});
  }

  function send(action, entries) {
    return fetch(action, { method: "POST", body: formDataOf(entries), credentials: "same-origin",
                           headers: { "X-Requested-With": "upload-retry" } });
  }

  function show(response) {
    // The server answered: show the page it sent, as a normal form submission would — the page
    // a redirect led to (with its message: "证据已登记"), or the form again with its errors.
    return response.text().then(function (html) {
      var next = new DOMParser().parseFromString(html, "text/html");
      var have = Array.prototype.map.call(document.head.querySelectorAll("style, link[rel=stylesheet]"),
                                          function (e) { return e.outerHTML; });
      next.head.querySelectorAll("style, link[rel=stylesheet]").forEach(function (e) {
        if (have.indexOf(e.outerHTML) === -1) document.head.appendChild(document.adoptNode(e));
      });
      document.title = next.title;
      history.pushState({ zhifa: "upload" }, "", response.url);
      document.body.replaceWith(document.adoptNode(next.body));
      window.scrollTo(0, 0);
      enhance();
    });
  }

  var flushing = false;
  function flush() {
    if (flushing || navigator.onLine === false) return Promise.resolve();
    flushing = true;
    return pending().then(function (items) {
      var chain = Promise.resolve(0);
      items.forEach(function (item) {
        chain = chain.then(function (sent) {
          return send(item.action, item.entries).then(function (response) {
            return forget(item).then(function () { return sent + (response.ok ? 1 : 0); });
          }, function () { return sent; });  // still offline: keep it
        });
      });
      return chain.then(function (sent) {
        return pending().then(function (left) {
          if (left.length) say("网络未恢复：" + left.length + " 份材料已暂存在本机，恢复后自动上传", "warn");
          else if (sent) say("网络已恢复：暂存的 " + sent + " 份材料已上传", "good");
        });
      });
    }).finally(function () { flushing = false; });
  }

  function uploads() {
    document.querySelectorAll("main form[enctype='multipart/form-data']:not([data-no-retry])").forEach(function (form) {
      if (!form.querySelector("input[type=file]")) return;
      form.addEventListener("submit", function (event) {
        if (event.defaultPrevented || !window.fetch || !window.FormData) return;
        event.preventDefault();
        var data = new FormData(form);
        if (event.submitter && event.submitter.name) data.append(event.submitter.name, event.submitter.value);
        var entries = entriesOf(data);
        var action = form.getAttribute("action") || window.location.pathname + window.location.search;
        var buttons = form.querySelectorAll("button, input[type=submit]");
        buttons.forEach(function (b) { b.disabled = true; });
        say("正在上传……", "info");
        send(action, entries).then(function (response) {
          say("", "info");
          return show(response);
        }, function () {
          // No answer at all: the connection is gone. Keep the form's content and retry later.
          return keep({ action: action, entries: entries, page: window.location.pathname, at: Date.now() }).then(function () {
            form.reset();  // kept: a second press would send it twice
            buttons.forEach(function (b) { b.disabled = false; });
            say("网络连接中断：材料已暂存在本机，恢复网络后自动上传，请勿重复提交", "warn");
          });
        });
      });
    });
  }

  function retryLoop() {
    window.addEventListener("online", flush);
    // A page shown in place after an upload has its own address in the history: going back
    // loads the page that was there.
    window.addEventListener("popstate", function () { window.location.reload(); });
    setInterval(flush, RETRY_MS);
    flush();
  }

  function enhance() {
    statusBox = null;
    sortableHeaders();
    autoSubmit();
    menus();
    uploads();
  }

  document.addEventListener("DOMContentLoaded", function () {
    enhance();
    closeMenusOutside();
    retryLoop();
  });
})();
