// view.js: the trace page. It reads the embedded ITF trace and the view
// model computed in Go (changes per step, property table, actor lanes).
(function () {
  "use strict";
  var el = ITF.el, str = ITF.str;
  var T = JSON.parse(document.getElementById("itf-data").textContent);
  var V = JSON.parse(document.getElementById("view-data").textContent);
  var steps = V.steps, N = steps.length, vars = V.vars;
  var states = T.states;
  var cur = 0, tab = "state";
  var hist = { sem: vars.length ? [["f", vars[0]]] : null, text: vars[0] || "" };

  // Per step: the properties violated (invariants false) or reached
  // (examples true) there, and whether it is the first such step.
  var marks = steps.map(function () { return []; });
  V.properties.forEach(function (p) {
    p.values.forEach(function (v, k) {
      if (v === null) marks[k].push({ name: p.name, kind: p.kind, state: "unknown" });
      else if (p.kind === "invariant" && v === false) marks[k].push({ name: p.name, kind: p.kind, state: "violated", first: k === p.first });
      else if (p.kind === "example" && v === true) marks[k].push({ name: p.name, kind: p.kind, state: "reached", first: k === p.first });
    });
  });
  if (V.status) {
    marks[V.status.step].push({
      name: V.status.property || V.status.status, kind: V.status.status === "example" ? "example" : "invariant",
      state: V.status.status === "example" ? "reached" : "violated", first: true, fromStatus: true
    });
  }

  function stateAt(k) {
    var s = {};
    vars.forEach(function (v) { s[v] = states[k][v]; });
    return s;
  }
  function actionOf(s) { return s.action || (s.i === 0 ? "init" : "step"); }

  // Header.
  var meta = document.getElementById("meta");
  V.meta.forEach(function (kv) {
    var d = el("div", "kv kv-" + kv[0]);
    d.appendChild(el("dt", null, kv[0]));
    d.appendChild(el(kv[0] === "replay" ? "code" : "dd", null, kv[1]));
    meta.appendChild(d);
  });
  var notes = document.getElementById("notes");
  V.notes.forEach(function (n) { notes.appendChild(el("div", "note", n)); });
  if (V.actor && V.actor.detected) {
    notes.appendChild(el("div", "note info", "lanes by pick \"" + V.actor.label + "\" (detected; choose another with --actor)"));
  }

  // Timeline.
  var list = document.getElementById("steps");
  var items = steps.map(function (s, k) {
    var li = el("li", "step");
    li.dataset.k = k;
    li.dataset.i = s.i;
    if (V.loop !== null && k >= V.loop) li.classList.add("inloop");
    if (V.loop !== null && k === V.loop) li.appendChild(el("div", "loopmark", "⟲ loop starts here"));
    var head = el("div", "shead");
    head.appendChild(el("span", "num", String(s.i)));
    head.appendChild(el("span", "act", actionOf(s)));
    if (s.actor) head.appendChild(el("span", "actor", s.actor));
    if (s.i > 0) head.appendChild(el("span", "nchg" + (s.changes.length ? "" : " none"), s.changes.length ? s.changes.length + " Δ" : "no change"));
    marks[k].forEach(function (m) {
      if (m.state === "reached" && !m.first) return; // an example matters where first reached
      var b = el("span", "badge " + m.state + (m.first ? " first" : ""), m.state === "violated" ? "✗ " + m.name : m.state === "reached" ? "★ " + m.name : "? " + m.name);
      b.title = m.kind + " " + m.name + " " + (m.state === "unknown" ? "could not be evaluated" : m.state) + " at step " + s.i + (m.first ? " (first time)" : "");
      head.appendChild(b);
    });
    li.appendChild(head);
    var p = ITF.picksText(s.picks, V.actor ? V.actor.label : null);
    if (p) {
      var pe = el("div", "picks", p);
      pe.title = ITF.picksText(s.picks, null);
      li.appendChild(pe);
    }
    li.addEventListener("click", function () { select(k); });
    list.appendChild(li);
    return li;
  });
  if (V.loop !== null) {
    var back = el("li", "loopback", "↺ back to step " + steps[V.loop].i);
    back.title = "the trace is a lasso: after the last step it continues at step " + steps[V.loop].i;
    back.addEventListener("click", function () { select(V.loop); });
    list.appendChild(back);
  }

  // Property table: one row per property, one cell per step.
  var propsBox = document.getElementById("props");
  var propCells = [];
  if (V.properties.length) {
    var tbl = el("table", "proptable");
    V.properties.forEach(function (p) {
      var tr = el("tr");
      var th = el("th", "pname " + p.kind, p.name);
      th.title = p.kind + (p.first >= 0 ? (p.kind === "invariant" ? ": first violated at step " : ": first reached at step ") + steps[p.first].i : p.kind === "invariant" ? ": holds at every step shown" : ": not reached");
      tr.appendChild(th);
      var row = [];
      p.values.forEach(function (v, k) {
        var cls = v === null ? "unknown" : (p.kind === "invariant" ? (v ? "ok" : "bad") : (v ? "hit" : "miss"));
        var td = el("td", "pc " + cls + (k === p.first ? " first" : ""));
        td.title = p.name + " at step " + steps[k].i + ": " + (v === null ? "not evaluated" : String(v)) + (k === p.first ? (p.kind === "invariant" ? " — first violation" : " — first reached") : "");
        td.addEventListener("click", function () { select(k); });
        tr.appendChild(td);
        row.push(td);
      });
      var sum = el("td", "psum", p.first >= 0 ? (p.kind === "invariant" ? "✗ first violated at step " : "★ first reached at step ") + steps[p.first].i : (p.kind === "invariant" ? "✓ holds" : "not reached"));
      tr.appendChild(sum);
      propCells.push(row);
      tbl.appendChild(tr);
    });
    propsBox.appendChild(tbl);
  } else {
    propsBox.hidden = true;
  }

  // State tab.
  var tree = new ITF.Tree(document.getElementById("tree"), {
    onHistory: function (sem, text) { hist = { sem: sem, text: text }; showTab("history"); }
  });
  document.getElementById("expand").addEventListener("click", function () { tree.setAll(true); });
  document.getElementById("collapse").addEventListener("click", function () { tree.setAll(false); });

  // The implementation's departure from the model (model-based testing):
  // what the model expected and what the implementation showed, side by
  // side, at the step where they part.
  function renderDivergence() {
    var box = document.getElementById("divergence");
    var d = V.divergence;
    if (!d) return;
    box.hidden = false;
    box.textContent = "";
    box.className = cur === d.step ? "here" : "";
    var head = el("div", "dhead", "✗ divergence at step " + steps[d.step].i + ": " + (d.summary || d.kind));
    if (cur !== d.step) {
      var go = el("button", "jump", "go to step " + steps[d.step].i);
      go.addEventListener("click", function () { select(d.step); });
      head.appendChild(go);
    }
    box.appendChild(head);
    if (!d.fields.length) return;
    var table = el("table", "sidebyside");
    var hr = el("tr");
    ["field", "model (expected)", "implementation (observed)"].forEach(function (h) { hr.appendChild(el("th", null, h)); });
    table.appendChild(hr);
    d.fields.forEach(function (f) {
      var tr = el("tr");
      tr.appendChild(el("td", "path", f.path));
      tr.appendChild(el("td", "exp", f.expected === null ? "(absent)" : str(f.expected, 300)));
      tr.appendChild(el("td", "obs", f.observed === null ? "(absent)" : str(f.observed, 300)));
      table.appendChild(tr);
    });
    box.appendChild(table);
  }

  function renderState() {
    var s = steps[cur];
    var head = document.getElementById("stephead");
    head.textContent = "";
    head.appendChild(el("span", "num", "step " + s.i));
    head.appendChild(el("span", "act", actionOf(s)));
    if (s.picks.length) head.appendChild(el("span", "picks", ITF.picksText(s.picks, null)));
    var sp = document.getElementById("stepprops");
    sp.textContent = "";
    V.properties.forEach(function (p) {
      var v = p.values[cur];
      var st = v === null ? "unknown" : p.kind === "invariant" ? (v ? "ok" : "violated") : (v ? "reached" : "miss");
      var b = el("span", "pstat " + st + (cur === p.first ? " first" : ""), (st === "ok" ? "✓ " : st === "violated" ? "✗ " : st === "reached" ? "★ " : st === "miss" ? "· " : "? ") + p.name);
      if (cur === p.first) b.appendChild(el("em", null, p.kind === "invariant" ? " first violated here" : " first reached here"));
      sp.appendChild(b);
    });
    marks[cur].forEach(function (m) {
      if (!m.fromStatus) return;
      var what = V.status.property ? m.name + (m.state === "violated" ? " violated here" : " reached here") : V.status.status + " at this step";
      sp.appendChild(el("span", "pstat " + m.state + " first", (m.state === "violated" ? "✗ " : "★ ") + what + " (as the trace's #meta says)"));
    });
    renderDivergence();
    var state = stateAt(cur);
    var ul = document.getElementById("changes");
    ul.textContent = "";
    var sum = document.getElementById("changesum");
    if (s.i === 0) {
      sum.textContent = "initial state";
    } else {
      sum.textContent = s.changes.length ? s.changes.length + (s.changes.length === 1 ? " change" : " changes") + " since step " + (s.i - 1) : "no change since step " + (s.i - 1);
    }
    s.changes.forEach(function (c) {
      var li = el("li", "chg-" + c.op, ITF.changeText(c, state, 300));
      li.addEventListener("click", function () {
        var n = document.querySelector('#tree .node[data-id="' + CSS.escape(JSON.stringify(c.op === "del" ? c.path.slice(0, -1) : c.path)) + '"]');
        if (n) {
          n.scrollIntoView({ block: "center" });
          n.classList.add("flash");
          setTimeout(function () { n.classList.remove("flash"); }, 900);
        }
      });
      ul.appendChild(li);
    });
    tree.render(vars, state, s.changes);
  }

  // History tab.
  var histSel = document.getElementById("histvar");
  vars.forEach(function (v) { histSel.appendChild(el("option", null, v)); });
  histSel.addEventListener("change", function () { hist = { sem: [["f", histSel.value]], text: histSel.value }; renderHistory(); });

  function renderMatrix() {
    // Variables × steps: which variable changed at which step.
    var box = document.getElementById("matrix");
    if (box.firstChild) return;
    var tbl = el("table", "matrix");
    vars.forEach(function (v) {
      var tr = el("tr");
      var th = el("th", null, v);
      th.addEventListener("click", function () { hist = { sem: [["f", v]], text: v }; renderHistory(); });
      tr.appendChild(th);
      steps.forEach(function (s, k) {
        var changed = s.changes.some(function (c) { return c.path[0][1] === v; });
        var td = el("td", changed ? "on" : "");
        td.title = v + (changed ? " changed" : " unchanged") + " at step " + s.i;
        td.dataset.k = k;
        td.addEventListener("click", function () { hist = { sem: [["f", v]], text: v }; select(k); });
        tr.appendChild(td);
      });
      tbl.appendChild(tr);
    });
    box.appendChild(tbl);
  }

  function renderHistory() {
    renderMatrix();
    if (!hist.sem) return;
    histSel.value = hist.sem.length === 1 ? hist.sem[0][1] : "";
    document.getElementById("histpath").textContent = hist.sem.length > 1 ? hist.text : "";
    document.querySelectorAll("#matrix td").forEach(function (td) {
      td.classList.toggle("cur", Number(td.dataset.k) === cur);
    });
    var body = document.querySelector("#history tbody");
    body.textContent = "";
    var prev;
    steps.forEach(function (s, k) {
      var v = ITF.lookup(stateAt(k), hist.sem);
      var text = v === undefined ? "(absent)" : str(v, 4000);
      var tr = el("tr", k === cur ? "cur" : "");
      if (k > 0 && text !== prev) tr.classList.add("changed");
      if (k === 0 && s.i > 0) tr.classList.add("first");
      tr.appendChild(el("td", "num", String(s.i)));
      tr.appendChild(el("td", "act", actionOf(s) + (s.actor ? " · " + s.actor : "")));
      var td = el("td", "hv", text.length > 300 ? text.slice(0, 300) + "…" : text);
      if (text.length > 300) {
        td.classList.add("click");
        td.title = "click to show the whole value";
        td.addEventListener("click", function (ev) { ev.stopPropagation(); td.textContent = text; });
      }
      tr.appendChild(td);
      tr.addEventListener("click", function () { select(k); });
      body.appendChild(tr);
      prev = text;
    });
  }

  // Lanes tab: one column per actor, one row per step.
  var laneRows = [];
  function renderLanes() {
    var box = document.getElementById("lanes");
    if (box.firstChild) return;
    if (!V.actor) {
      box.appendChild(el("p", "empty", "No actor: the steps do not record a pick naming who acts (such as deployer, process or node). Choose one with --actor LABEL."));
      return;
    }
    var lanes = V.actor.lanes.slice();
    var other = steps.some(function (s) { return !s.actor; });
    if (other) lanes.push("");
    var grid = el("div", "lanegrid");
    grid.style.gridTemplateColumns = "4em repeat(" + lanes.length + ", minmax(9em, 1fr))";
    grid.appendChild(el("div", "lh", "step"));
    lanes.forEach(function (l) { grid.appendChild(el("div", "lh", l === "" ? "(no " + V.actor.label + ")" : l)); });
    steps.forEach(function (s, k) {
      var cells = [];
      var num = el("div", "lnum", String(s.i));
      cells.push(num);
      lanes.forEach(function (l) {
        var c = el("div", "lc");
        if ((s.actor || "") === l) {
          var box = el("div", "lbox");
          box.appendChild(el("span", "act", actionOf(s)));
          var p = ITF.picksText(s.picks, V.actor.label);
          if (p) box.appendChild(el("span", "picks", p));
          marks[k].forEach(function (m) {
            if (m.state === "reached" && !m.first) return;
            box.appendChild(el("span", "badge " + m.state + (m.first ? " first" : ""), m.state === "violated" ? "✗ " + m.name : m.state === "reached" ? "★ " + m.name : "?"));
          });
          box.title = "step " + s.i + ": " + actionOf(s) + " " + ITF.picksText(s.picks, null);
          c.appendChild(box);
          c.classList.add("busy");
        }
        cells.push(c);
      });
      cells.forEach(function (c) {
        if (V.loop !== null && k >= V.loop) c.classList.add("inloop");
        c.addEventListener("click", function () { select(k); });
        grid.appendChild(c);
      });
      laneRows.push(cells);
    });
    if (V.loop !== null) {
      var back = el("div", "loopback", "↺ back to step " + steps[V.loop].i);
      back.style.gridColumn = "1 / span " + (lanes.length + 1);
      back.addEventListener("click", function () { select(V.loop); });
      grid.appendChild(back);
    }
    box.appendChild(grid);
    markLanes();
  }
  function markLanes() {
    laneRows.forEach(function (cells, k) {
      cells.forEach(function (c) { c.classList.toggle("sel", k === cur); });
    });
  }

  function showTab(name) {
    tab = name;
    ["state", "history", "lanes"].forEach(function (t) {
      document.getElementById("tab-" + t).hidden = t !== name;
    });
    document.querySelectorAll("#tabs .tab").forEach(function (b) { b.classList.toggle("on", b.dataset.tab === name); });
    document.body.dataset.tab = name;
    refresh();
  }
  document.querySelectorAll("#tabs .tab").forEach(function (b) {
    b.addEventListener("click", function () { showTab(b.dataset.tab); });
  });

  function refresh() {
    if (tab === "state") renderState();
    if (tab === "history") renderHistory();
    if (tab === "lanes") {
      renderLanes();
      markLanes();
      var r = laneRows[cur];
      if (r) r[0].scrollIntoView({ block: "nearest" });
    }
  }

  function select(k) {
    if (k < 0 || k >= N) return;
    cur = k;
    items.forEach(function (li, j) { li.classList.toggle("sel", j === k); });
    items[k].scrollIntoView({ block: "nearest" });
    propCells.forEach(function (row) {
      row.forEach(function (td, j) { td.classList.toggle("cur", j === k); });
    });
    if (propCells.length) propCells[0][k].scrollIntoView({ block: "nearest", inline: "nearest" });
    var s = steps[k];
    document.getElementById("pos").textContent = "step " + s.i + " (" + (k + 1) + " of " + N + (V.total !== N ? ", of " + V.total + " in the trace" : "") + ")";
    document.getElementById("prev").disabled = k === 0;
    document.getElementById("next").disabled = k === N - 1;
    document.body.dataset.step = s.i;
    if (history.replaceState) history.replaceState(null, "", "#step=" + s.i);
    refresh();
  }
  document.getElementById("prev").addEventListener("click", function () { select(cur - 1); });
  document.getElementById("next").addEventListener("click", function () { select(cur + 1); });

  ITF.keys({
    ArrowRight: function () { select(cur + 1); }, j: function () { select(cur + 1); },
    ArrowLeft: function () { select(cur - 1); }, k: function () { select(cur - 1); },
    Home: function () { select(0); }, End: function () { select(N - 1); },
    "1": function () { showTab("state"); }, "2": function () { showTab("history"); }, "3": function () { showTab("lanes"); }
  });

  // Open where the trace is interesting: the divergence or the finding.
  var start = V.start || 0;
  var m = /step=(\d+)/.exec(location.hash);
  if (m) {
    steps.forEach(function (s, k) { if (s.i === Number(m[1])) start = k; });
  }
  cur = start;
  showTab("state");
  select(start);
  window.execspecView = { select: select, showTab: showTab, current: function () { return steps[cur].i; } };
  document.body.dataset.ready = "1";
})();
