// itf.js: ITF values in the browser, shared by the trace page and the
// explorer. Values arrive in execspec's canonical ITF JSON (integers as
// {"#bigint": "..."}, set elements and map entries in canonical order,
// record fields sorted), so equal values have equal JSON text.
"use strict";

var ITF = (function () {
  function kind(v) {
    if (v === null) return "null"; // JSON null, itf.Null in Go
    if (v === undefined) return "invalid";
    if (typeof v === "boolean") return "bool";
    if (typeof v === "number") return "int";
    if (typeof v === "string") return "str";
    if (Array.isArray(v)) return "list";
    if ("#bigint" in v) return "int";
    if ("#tup" in v) return "tup";
    if ("#set" in v) return "set";
    if ("#map" in v) return "map";
    if ("#unserializable" in v) return "unser";
    var ks = Object.keys(v);
    if (ks.length === 2 && typeof v.tag === "string" && "value" in v) return "variant";
    return "rec";
  }

  function isUnit(v) {
    return kind(v) === "tup" && v["#tup"].length === 0;
  }

  function fieldNames(v) {
    return Object.keys(v).sort(function (a, b) { return a < b ? -1 : a > b ? 1 : 0; });
  }

  // str renders v compactly in the notation of execspec's text output
  // (Go's itf.Value.String): [list], (tuple), {set}, Map(k -> v),
  // {field: v}, Tag(payload). With max, it stops after about max
  // characters and ends with an ellipsis.
  function str(v, max) {
    var out = [];
    var n = 0;
    var limit = max || Infinity;
    function put(s) {
      if (n > limit) return false;
      out.push(s);
      n += s.length;
      return n <= limit;
    }
    function elems(open, xs, close) {
      if (!put(open)) return false;
      for (var i = 0; i < xs.length; i++) {
        if (i > 0 && !put(", ")) return false;
        if (!walk(xs[i])) return false;
      }
      return put(close);
    }
    function walk(v) {
      switch (kind(v)) {
        case "bool": return put(v ? "true" : "false");
        case "int": return put(typeof v === "number" ? String(v) : v["#bigint"]);
        case "str": return put(JSON.stringify(v));
        case "list": return elems("[", v, "]");
        case "tup": return elems("(", v["#tup"], ")");
        case "set": return elems("{", v["#set"], "}");
        case "map":
          if (!put("Map(")) return false;
          var es = v["#map"];
          for (var i = 0; i < es.length; i++) {
            if (i > 0 && !put(", ")) return false;
            if (!walk(es[i][0]) || !put(" -> ") || !walk(es[i][1])) return false;
          }
          return put(")");
        case "rec":
          if (!put("{")) return false;
          var fs = fieldNames(v);
          for (var j = 0; j < fs.length; j++) {
            if (j > 0 && !put(", ")) return false;
            if (!put(fs[j] + ": ") || !walk(v[fs[j]])) return false;
          }
          return put("}");
        case "variant":
          if (!put(v.tag)) return false;
          if (isUnit(v.value)) return true;
          // A record payload reads Promise{bal: 1}, as the Go side prints it.
          if (kind(v.value) === "rec" && Object.keys(v.value).length > 0) return walk(v.value);
          return put("(") && walk(v.value) && put(")");
        case "unser": return put("<unserializable: " + v["#unserializable"] + ">");
        case "null": return put("null");
      }
      return put("<invalid>");
    }
    walk(v);
    var s = out.join("");
    if (n > limit) s = s.slice(0, limit) + "…";
    return s;
  }

  // children lists the parts of a composite value: seg is its position (as
  // the Go side writes change paths), label how the tree names it, key the
  // map key.
  function children(v) {
    var out = [];
    switch (kind(v)) {
      case "rec":
        fieldNames(v).forEach(function (f) { out.push({ seg: ["f", f], label: f, value: v[f] }); });
        break;
      case "map":
        v["#map"].forEach(function (e, i) { out.push({ seg: ["k", i], key: e[0], label: str(e[0], 80), value: e[1] }); });
        break;
      case "list":
        v.forEach(function (x, i) { out.push({ seg: ["i", i], label: "[" + i + "]", value: x }); });
        break;
      case "tup":
        v["#tup"].forEach(function (x, i) { out.push({ seg: ["i", i], label: "(" + i + ")", value: x }); });
        break;
      case "set":
        v["#set"].forEach(function (x, i) { out.push({ seg: ["e", i], label: "∈", value: x }); });
        break;
      case "variant":
        if (!isUnit(v.value)) out.push({ seg: ["v", v.tag], label: v.tag, value: v.value });
        break;
    }
    return out;
  }

  function child(v, seg) {
    if (v === undefined || v === null) return undefined;
    switch (seg[0]) {
      case "f": return kind(v) === "rec" ? v[seg[1]] : undefined;
      case "k": return kind(v) === "map" && v["#map"][seg[1]] ? v["#map"][seg[1]][1] : undefined;
      case "i": return kind(v) === "tup" ? v["#tup"][seg[1]] : kind(v) === "list" ? v[seg[1]] : undefined;
      case "e": return kind(v) === "set" ? v["#set"][seg[1]] : undefined;
      case "v": return kind(v) === "variant" && v.tag === seg[1] ? v.value : undefined;
    }
    return undefined;
  }

  // resolve finds the value at a change path in a state (variable -> value).
  function resolve(state, path) {
    if (!path.length) return undefined;
    var v = state[path[0][1]];
    for (var i = 1; i < path.length && v !== undefined; i++) v = child(v, path[i]);
    return v;
  }

  // lookup finds the value at a semantic path (map entries by key text, so
  // the path means the same thing at every step); undefined when absent.
  function lookup(state, sem) {
    var v = state[sem[0][1]];
    for (var i = 1; i < sem.length && v !== undefined; i++) {
      var s = sem[i];
      if (s[0] === "K") {
        if (kind(v) !== "map") return undefined;
        var found;
        v["#map"].forEach(function (e) { if (JSON.stringify(e[0]) === s[1]) found = e[1]; });
        v = found;
      } else {
        v = child(v, s);
      }
    }
    return v;
  }

  function summary(v) {
    switch (kind(v)) {
      case "rec": var n = Object.keys(v).length; return "record · " + n + (n === 1 ? " field" : " fields");
      case "map": return "map · " + v["#map"].length + (v["#map"].length === 1 ? " entry" : " entries");
      case "set": return "set · " + v["#set"].length + (v["#set"].length === 1 ? " element" : " elements");
      case "list": return "list · " + v.length;
      case "tup": return "tuple · " + v["#tup"].length;
      case "variant": return v.tag;
    }
    return "";
  }

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = text;
    return e;
  }

  // changeText renders a change like `execspec trace` does.
  function changeText(c, state, max) {
    if (c.op === "add") return c.p + ": + " + str(resolve(state, c.path), max);
    if (c.op === "del") return c.p + ": - " + str(c.old, max);
    return c.p + ": " + str(c.old, max) + " -> " + str(resolve(state, c.path), max);
  }

  var INLINE = 48;   // composites whose text is at most this long show on one line
  var KIDS = 100;    // children shown before "show all"

  // Tree renders a state as a collapsible tree and highlights changes.
  // opts.onHistory(sem, text), when set, adds a history button to rows.
  function Tree(root, opts) {
    this.root = root;
    this.opts = opts || {};
    this.open = {};   // node id -> true/false, as the user left it
    this.all = {};    // node id -> show all children
  }

  Tree.prototype.render = function (vars, state, changes) {
    var at = {}, anc = {}, ghosts = {};
    (changes || []).forEach(function (c) {
      var ids = [];
      for (var i = 1; i <= c.path.length; i++) ids.push(JSON.stringify(c.path.slice(0, i)));
      var self = ids.pop();
      ids.forEach(function (id) { anc[id] = true; });
      if (c.op === "del") {
        var parent = ids.length ? ids[ids.length - 1] : "";
        (ghosts[parent] = ghosts[parent] || []).push(c);
      } else {
        at[self] = c;
      }
    });
    this.marks = { at: at, anc: anc, ghosts: ghosts };
    this.state = state;
    this.vars = vars;
    var frag = document.createDocumentFragment();
    var self = this;
    vars.forEach(function (name) {
      frag.appendChild(self.node({ label: name, value: state[name] }, [["f", name]], [["f", name]], name, 0, "var"));
    });
    (ghosts[""] || []).forEach(function (c) { frag.appendChild(self.ghost(c)); });
    this.root.textContent = "";
    this.root.appendChild(frag);
  };

  Tree.prototype.rerender = function () {
    this.render(this.vars, this.state, this.changesFromMarks());
  };

  Tree.prototype.changesFromMarks = function () {
    var out = [];
    var m = this.marks;
    Object.keys(m.at).forEach(function (id) { out.push(m.at[id]); });
    Object.keys(m.ghosts).forEach(function (id) { m.ghosts[id].forEach(function (c) { out.push(c); }); });
    return out;
  };

  Tree.prototype.ghost = function (c) {
    var last = c.path[c.path.length - 1];
    var label = last[0] === "f" ? last[1] : last[0] === "k" ? str(c.key, 80) : last[0] === "e" ? "∈" : "[" + last[1] + "]";
    var d = el("div", "node del");
    d.dataset.id = JSON.stringify(c.path);
    var row = el("div", "row");
    row.appendChild(el("span", "tog", "−"));
    row.appendChild(el("span", "lbl" + (last[0] === "k" ? " key" : last[0] === "e" ? " elem" : ""), label));
    row.appendChild(el("span", "val", str(c.old, 300)));
    row.title = "removed at this step: " + c.p;
    d.appendChild(row);
    return d;
  };

  Tree.prototype.node = function (item, path, sem, text, depth, labelClass) {
    var self = this;
    var id = JSON.stringify(path);
    var v = item.value;
    var mark = this.marks.at[id];
    var isAnc = !!this.marks.anc[id];
    var ghosts = this.marks.ghosts[id] || [];
    var kids = children(v);
    var compact = str(v, 400);
    var expandable = kids.length > 0 && (compact.length > INLINE || isAnc || ghosts.length > 0);
    var d = el("div", "node");
    d.dataset.id = id;
    if (mark) d.classList.add(mark.op);
    if (isAnc) d.classList.add("haschg");
    var row = el("div", "row");
    d.appendChild(row);
    var tog = el("span", "tog", "");
    row.appendChild(tog);
    row.appendChild(el("span", "lbl " + (labelClass || ""), item.label));
    var open = false;
    if (expandable) {
      open = id in this.open ? this.open[id] : (isAnc || ghosts.length > 0 || depth === 0);
      tog.textContent = open ? "▾" : "▸";
      tog.classList.add("click");
      row.classList.add("click");
      row.addEventListener("click", function (ev) {
        if (ev.target.classList.contains("hist")) return;
        self.open[id] = !open;
        var n = self.node(item, path, sem, text, depth, labelClass);
        d.replaceWith(n);
      });
      if (!open) row.appendChild(el("span", "val preview", str(v, 160)));
      row.appendChild(el("span", "sum", summary(v)));
    } else {
      var val = el("span", "val k-" + kind(v), compact);
      if (compact.length > 120) val.classList.add("long");
      row.appendChild(val);
    }
    if (mark && mark.op === "chg") {
      var was = el("span", "was", "was " + str(mark.old, 80));
      was.title = "before this step: " + str(mark.old, 4000);
      row.appendChild(was);
    } else if (mark && mark.op === "add") {
      row.appendChild(el("span", "was", "added"));
    }
    if (this.opts.onHistory && sem) {
      var h = el("button", "hist", "history");
      h.title = "this value at every step";
      h.addEventListener("click", function (ev) {
        ev.stopPropagation();
        self.opts.onHistory(sem, text);
      });
      row.appendChild(h);
    }
    row.title = text;
    if (expandable && open) {
      var box = el("div", "kids");
      var shown = 0;
      var showAll = !!this.all[id];
      kids.forEach(function (k, i) {
        var kid = path.concat([k.seg]);
        var kidId = JSON.stringify(kid);
        var marked = self.marks.at[kidId] || self.marks.anc[kidId];
        if (!showAll && i >= KIDS && !marked) return;
        shown++;
        var ksem = null, ktext = text;
        if (sem && k.seg[0] !== "e") {
          ksem = sem.concat([k.seg[0] === "k" ? ["K", JSON.stringify(k.key)] : k.seg]);
        }
        if (k.seg[0] === "f") ktext = text + "." + k.label;
        else if (k.seg[0] === "k") ktext = text + "[" + k.label + "]";
        else if (k.seg[0] === "i") ktext = text + "[" + k.seg[1] + "]";
        else if (k.seg[0] === "v") ktext = text + "." + k.label;
        var lc = k.seg[0] === "k" ? "key" : k.seg[0] === "e" ? "elem" : "";
        box.appendChild(self.node(k, kid, ksem, ktext, depth + 1, lc));
      });
      if (shown < kids.length) {
        var more = el("button", "more", "show all " + kids.length + " (" + (kids.length - shown) + " hidden)");
        more.addEventListener("click", function () {
          self.all[id] = true;
          d.replaceWith(self.node(item, path, sem, text, depth, labelClass));
        });
        box.appendChild(more);
      }
      ghosts.forEach(function (c) { box.appendChild(self.ghost(c)); });
      d.appendChild(box);
    }
    return d;
  };

  // expandAll opens (or closes) every node of the current render.
  Tree.prototype.setAll = function (open) {
    var self = this;
    function walk(v, path) {
      var kids = children(v);
      if (!kids.length) return;
      self.open[JSON.stringify(path)] = open;
      kids.forEach(function (k) { walk(k.value, path.concat([k.seg])); });
    }
    this.vars.forEach(function (name) { walk(self.state[name], [["f", name]]); });
    this.render(this.vars, this.state, this.changesFromMarks());
  };

  function picksText(picks, skip) {
    return picks.filter(function (p) { return p.label !== skip; })
      .map(function (p) { return p.label + "=" + str(p.value, 120); }).join(", ");
  }

  // keys installs keyboard handlers that ignore typing in form fields.
  function keys(map) {
    document.addEventListener("keydown", function (ev) {
      if (ev.ctrlKey || ev.metaKey || ev.altKey) return;
      var t = ev.target;
      if (t && (t.tagName === "INPUT" || t.tagName === "SELECT" || t.tagName === "TEXTAREA")) return;
      var f = map[ev.key];
      if (f) {
        ev.preventDefault();
        f(ev);
      }
    });
  }

  return {
    kind: kind, str: str, children: children, resolve: resolve, lookup: lookup,
    summary: summary, el: el, changeText: changeText, Tree: Tree, picksText: picksText, keys: keys
  };
})();
