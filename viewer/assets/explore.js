// explore.js: the state explorer's page, a client of the explorer's JSON
// API (see viewer.Explorer).
(function () {
  "use strict";
  var el = ITF.el;
  var S = null;       // the last /api/state answer
  var filter = "";    // the action whose successors are listed ("" for all)
  var page = 0;
  var tree = new ITF.Tree(document.getElementById("tree"));
  var body = document.body;
  var pending = 0;    // requests in flight (data-busy, for tests and styles)

  function setError(msg) {
    document.getElementById("error").textContent = msg || "";
  }

  function api(method, url, data) {
    var init = { method: method, headers: {} };
    if (method === "POST") {
      init.headers["Content-Type"] = "application/json";
      init.body = JSON.stringify(data || {});
    }
    pending++;
    body.dataset.busy = "1";
    return fetch(url, init).then(function (r) {
      return r.json().then(function (j) {
        if (!r.ok) {
          var e = new Error(j.error || r.statusText);
          e.status = r.status;
          throw e;
        }
        return j;
      });
    }).finally(function () {
      pending--;
      body.dataset.busy = pending > 0 ? "1" : "0";
    });
  }

  function fail(e) {
    setError(e.message);
    if (e.status === 409) refreshState();
  }

  function refreshState() {
    return api("GET", "/api/state").then(show).catch(fail);
  }

  function post(url, data) {
    data = data || {};
    data.version = S.version;
    setError("");
    return api("POST", url, data).then(show).catch(fail);
  }

  function step(index) { return post("/api/step", { index: index }); }
  function back(to) { return post("/api/back", to === undefined ? {} : { to: to }); }
  function jump(k) { return post("/api/jump", { step: k }); }

  // badges marks the invariants a state violates and the examples it
  // reaches, except examples already reached before (in seen).
  function badges(parent, st, seen) {
    st.violated.forEach(function (n) { parent.appendChild(el("span", "badge violated first", "✗ " + n)); });
    st.reached.forEach(function (n) {
      if (seen && seen[n]) return;
      parent.appendChild(el("span", "badge reached", "★ " + n));
      if (seen) seen[n] = true;
    });
  }

  function show(st) {
    S = st;
    var known = st.successors.actions.some(function (a) { return a.name === filter && a.count > 0; });
    if (!known) filter = "";
    page = 0;
    render();
    loadPage();
    body.dataset.version = st.version;
    body.dataset.depth = st.depth;
    body.dataset.ready = "1";
  }

  function render() {
    document.getElementById("back").disabled = S.depth <= S.minDepth;
    document.getElementById("restart").disabled = S.depth <= S.minDepth;
    var exp = document.getElementById("export");
    exp.setAttribute("download", S.model + (S.instance ? "-" + S.instance : "") + "-explore.itf.json");
    exp.classList.toggle("off", S.depth === 0);

    // The path taken.
    var ol = document.getElementById("steps");
    ol.textContent = "";
    var seen = {};
    S.path.forEach(function (p, k) {
      var li = el("li", "step" + (k === S.depth - 1 ? " sel" : ""));
      li.dataset.k = k;
      var head = el("div", "shead");
      head.appendChild(el("span", "num", String(k)));
      head.appendChild(el("span", "act", p.action));
      badges(head, p, seen);
      li.appendChild(head);
      var pt = ITF.picksText(p.picks, null);
      if (pt) li.appendChild(el("div", "picks", pt));
      li.title = k === S.depth - 1 ? "the current state" : "go back to this state";
      li.addEventListener("click", function () { if (k !== S.depth - 1) back(k + 1); });
      ol.appendChild(li);
    });
    if (S.depth === 0) ol.appendChild(el("li", "empty", "choose an initial state →"));
    var sel = ol.querySelector(".sel");
    if (sel) sel.scrollIntoView({ block: "nearest" });

    // The saved trace.
    var sb = document.getElementById("savedbox");
    sb.hidden = !S.trace;
    if (S.trace) {
      var sl = document.getElementById("saved");
      sl.textContent = "";
      var seenSaved = {};
      S.trace.steps.forEach(function (p, k) {
        var li = el("li", "step" + (k === S.trace.at ? " sel" : "") + (k <= S.trace.at ? " onpath" : ""));
        li.dataset.k = k;
        var head = el("div", "shead");
        head.appendChild(el("span", "num", String(k)));
        head.appendChild(el("span", "act", p.action));
        badges(head, p, seenSaved);
        li.appendChild(head);
        var pt = ITF.picksText(p.picks, null);
        if (pt) li.appendChild(el("div", "picks", pt));
        li.title = "jump to step " + k + " of the saved trace";
        li.addEventListener("click", function () { jump(k); });
        sl.appendChild(li);
      });
      var cur = sl.querySelector(".sel");
      if (cur) cur.scrollIntoView({ block: "nearest" });
    }

    // The current state.
    var head = document.getElementById("stephead");
    head.textContent = "";
    var sp = document.getElementById("stepprops");
    sp.textContent = "";
    var ul = document.getElementById("changes");
    ul.textContent = "";
    var sum = document.getElementById("changesum");
    if (S.depth === 0) {
      head.appendChild(el("span", "act", "no state yet: choose one of the " + S.successors.total + " initial states"));
      sum.textContent = "";
      document.getElementById("tree").textContent = "";
    } else {
      var last = S.path[S.depth - 1];
      head.appendChild(el("span", "num", "state " + (S.depth - 1)));
      head.appendChild(el("span", "act", last.action));
      var pt = ITF.picksText(last.picks, null);
      if (pt) head.appendChild(el("span", "picks", pt));
      S.properties.forEach(function (p) {
        var cls = p.ok === null ? "unknown" : p.kind === "invariant" ? (p.ok ? "ok" : "violated") : (p.ok ? "reached" : "miss");
        var b = el("span", "pstat " + cls + " " + p.kind, (cls === "ok" ? "✓ " : cls === "violated" ? "✗ " : cls === "reached" ? "★ " : cls === "miss" ? "· " : "? ") + p.name);
        b.dataset.name = p.name;
        b.title = p.kind + " " + p.name + ": " + (p.ok === null ? "panicked: " + p.error : p.kind === "invariant" ? (p.ok ? "holds" : "VIOLATED") : (p.ok ? "reached" : "not reached"));
        sp.appendChild(b);
      });
      if (S.depth === 1) sum.textContent = "initial state";
      else sum.textContent = S.changes.length ? S.changes.length + (S.changes.length === 1 ? " change" : " changes") + " since state " + (S.depth - 2) : "no change since state " + (S.depth - 2);
      S.changes.forEach(function (c) { ul.appendChild(el("li", "chg-" + c.op, ITF.changeText(c, S.state, 300))); });
      tree.render(S.vars, S.state, S.changes);
    }

    // The successors' actions.
    document.getElementById("succtitle").textContent = S.depth === 0 ? "initial states" : "enabled actions";
    var ex = document.getElementById("explain");
    ex.textContent = S.depth === 0 ? S.successors.total + " initial states: choose one" :
      S.successors.total === 0 ? "no action is enabled: a deadlock" :
      S.successors.total + " successors; click one to take that step";
    var chips = document.getElementById("chips");
    chips.textContent = "";
    var all = el("button", "chip" + (filter === "" ? " on" : ""), "all " + S.successors.total);
    all.dataset.action = "";
    all.addEventListener("click", function () { filter = ""; page = 0; render(); loadPage(); });
    chips.appendChild(all);
    S.successors.actions.forEach(function (a) {
      var c = el("button", "chip" + (filter === a.name ? " on" : "") + (a.count ? "" : " zero"), a.name + " " + a.count + (a.incomplete ? "+" : ""));
      c.dataset.action = a.name;
      c.disabled = a.count === 0;
      c.title = a.count === 0 ? a.name + " is not enabled here" : a.incomplete ? "more than " + a.count + " outcomes: only the first are listed" : a.count + " outcomes of " + a.name;
      c.addEventListener("click", function () { filter = a.name; page = 0; render(); loadPage(); });
      chips.appendChild(c);
    });
  }

  function loadPage() {
    var version = S.version;
    return api("GET", "/api/successors?page=" + page + (filter ? "&action=" + encodeURIComponent(filter) : ""))
      .then(function (res) {
        if (res.version !== S.version || version !== S.version) return;
        renderItems(res);
      }).catch(fail);
  }

  function pager(box, res) {
    box.textContent = "";
    if (res.pages <= 1) return;
    function btn(text, p, title) {
      var b = el("button", null, text);
      b.title = title;
      b.disabled = p < 0 || p >= res.pages || p === res.page;
      b.addEventListener("click", function () { page = p; loadPage(); });
      box.appendChild(b);
    }
    btn("«", 0, "first page");
    btn("‹", res.page - 1, "previous page (p)");
    var from = res.page * res.pageSize + 1, to = Math.min(res.total, (res.page + 1) * res.pageSize);
    box.appendChild(el("span", "info", from + "–" + to + " of " + res.total + " · page " + (res.page + 1) + "/" + res.pages));
    btn("›", res.page + 1, "next page (n)");
    btn("»", res.pages - 1, "last page");
  }

  var lastPage = null;
  function renderItems(res) {
    lastPage = res;
    pager(document.getElementById("pagertop"), res);
    pager(document.getElementById("pager"), res);
    var ul = document.getElementById("items");
    ul.textContent = "";
    res.items.forEach(function (it) {
      var li = el("li", it.error ? "err" : "");
      li.dataset.index = it.index;
      li.dataset.action = it.action;
      if (it.onTrace) li.classList.add("ontrace");
      var head = el("div", "ihead");
      head.appendChild(el("span", "idx", "#" + it.index));
      head.appendChild(el("span", "act", it.action));
      // Examples already reached in the current state are not news.
      var now = {};
      if (S.depth > 0) S.path[S.depth - 1].reached.forEach(function (n) { now[n] = true; });
      badges(head, it, now);
      if (it.onTrace) head.appendChild(el("span", "badge", "saved trace's next step"));
      li.appendChild(head);
      var pt = ITF.picksText(it.picks, null);
      if (pt) li.appendChild(el("div", "picks", pt));
      if (it.error) {
        li.appendChild(el("div", "picks", "error: " + it.error));
      } else {
        var cl = el("ul", "chglist");
        if (S.depth > 0 && it.nchanges === 0) cl.appendChild(el("li", "", "no change"));
        it.changes.forEach(function (c) { cl.appendChild(el("li", "chg-" + c.op, c.text)); });
        if (it.nchanges > it.changes.length) cl.appendChild(el("li", "", "… " + (it.nchanges - it.changes.length) + " more"));
        li.appendChild(cl);
        li.title = "take this step";
        li.addEventListener("click", function () { step(it.index); });
      }
      ul.appendChild(li);
    });
    body.dataset.page = res.page;
    body.dataset.items = res.items.length;
  }

  document.getElementById("back").addEventListener("click", function () { back(); });
  document.getElementById("restart").addEventListener("click", function () { post("/api/restart", {}); });
  document.getElementById("expand").addEventListener("click", function () { tree.setAll(true); });
  document.getElementById("collapse").addEventListener("click", function () { tree.setAll(false); });

  function forwardOnTrace() {
    if (S.trace && S.trace.at >= 0 && S.trace.at + 1 < S.trace.steps.length) jump(S.trace.at + 1);
  }
  function turn(d) {
    if (!lastPage) return;
    var p = lastPage.page + d;
    if (p >= 0 && p < lastPage.pages) { page = p; loadPage(); }
  }
  ITF.keys({
    ArrowLeft: function () { if (S.depth > S.minDepth) back(); },
    k: function () { if (S.depth > S.minDepth) back(); },
    ArrowRight: forwardOnTrace, j: forwardOnTrace,
    n: function () { turn(1); }, p: function () { turn(-1); }
  });

  refreshState();
  window.execspecExplore = { step: step, back: back, jump: jump, state: function () { return S; } };
})();
