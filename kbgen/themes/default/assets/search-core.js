/* kbgen search core: loads the exported index on demand and ranks articles.
 * kbgen/search/engine.py and scoring.py are the same ranking in Python, line for line (kbgen search, search_tests);
 * change both together. No DOM here: it runs in Node for tests and benchmarks, and search-ui.js
 * draws the results. Why the ranking is as it is: see engine.py's docstring. */
(function (root) {
  "use strict";
  var Stem = typeof module === "object" && module.exports ? require("./search-stem.js") : root.KbgenStem;
  var WORD = /[\p{L}\p{N}]+/gu;
  var WORD_END = /[\p{L}\p{N}]$/u;
  var STEMMED_WEIGHT = 0.9, PREFIX_WEIGHT = 0.5, PREFIX_MAX = 10, FUZZY_WEIGHTS = [1.0, 0.6, 0.4], FUZZY_MAX = 3,
    AND_WORDS = 3, QUESTION_WEIGHT = 0.1, TITLE_BONUS = 0.15, LONGER_STEM_WEIGHT = 0.3, LONGER_STEM_LETTERS = 2,
    MARKS = "THBK";

  function normalise(text) {
    return text.normalize("NFC").toLowerCase().replace(/ё/g, "е");
  }

  function cmp(a, b) { return a < b ? -1 : a > b ? 1 : 0; }

  function SearchIndex(load) {
    /* load(name) → Promise of the data of search/<name>.js */
    this.load = load;
    this.manifest = null;
    this.files = {};  /* the shards loaded so far, by name */
    this.fragments = {};
  }

  SearchIndex.prototype.open = function () {
    var self = this;
    if (!this.opening) {
      this.opening = this.load("manifest").then(function (m) {
        self.manifest = m;
        self.bounds = m.shards.map(function (s) { return s[0]; });
        self.names = m.shards.map(function (s) { return s[1]; });
        self.stop = new Set(m.stop.split(" "));
        self.question = new Set(m.question.split(" "));
        self.typoBounds = m.typos.map(function (s) { return s[0]; });
        self.typoNames = m.typos.map(function (s) { return s[1]; });
        self.typoPrefix = m.typo_prefix;
        return self;
      });
    }
    return this.opening;
  };

  SearchIndex.prototype.search = function (query, typing) {
    var self = this;
    return this.open().then(function again() {
      var missing = new Set();
      var result = rank(self, query, !!typing, missing);
      if (!missing.size) return result;
      var wanted = Array.from(missing).sort(cmp);
      return Promise.all(wanted.map(function (name) {
        return self.load(name).then(function (data) {
          var i = self.names.indexOf(name);  /* a term shard: its whole map of words (withWords) */
          self.files[name] = i < 0 ? data : withWords(self, i, data);
        });
      })).then(again);
    });
  };

  SearchIndex.prototype.fragment = function (doc) {
    var m = this.manifest, group = Math.floor(doc / m.group);
    var name = "f/" + group.toString(36) + "." + m.fragments.slice(4 * group, 4 * group + 4);
    var cached = this.fragments[name] || (this.fragments[name] = this.load(name));
    return cached.then(function (data) { return data[doc.toString(36)]; });
  };

  function bisect(bounds, key) {
    var lo = 0, hi = bounds.length;  /* bisect_right */
    while (lo < hi) {
      var mid = (lo + hi) >> 1;
      if (key < bounds[mid]) hi = mid; else lo = mid + 1;
    }
    return Math.max(0, lo - 1);
  }

  SearchIndex.prototype.shardIndex = function (key) { return bisect(this.bounds, key); };

  SearchIndex.prototype.shard = function (i, missing) { return this.file(this.names[i], missing); };

  SearchIndex.prototype.typoShard = function (key, missing) {
    return this.file(this.typoNames[bisect(this.typoBounds, key)], missing);
  };

  SearchIndex.prototype.file = function (name, missing) {
    if (has(this.files, name)) return this.files[name];
    missing.add(name);
    return null;
  };

  function has(obj, key) { return Object.prototype.hasOwnProperty.call(obj, key); }

  function withWords(ix, i, shard) {
    /* the shard's whole map of surface words to stems: the export leaves out each word whose stem is in the same
     * shard, as the stem's list of words has it (engine.py with_words) */
    Object.keys(shard.t).forEach(function (s) {
      shard.t[s][1].split(" ").forEach(function (w) { if (w !== s && ix.shardIndex(w) === i) shard.v[w] = s; });
    });
    return shard;
  }

  function stemOf(ix, word, missing) {
    /* the word's stem as the build makes it (search-stem.js: any form, seen or not), or null when no article has it */
    var stem = Stem.stem(word), shard = ix.shard(ix.shardIndex(stem), missing);
    return shard && has(shard.t, stem) ? stem : null;
  }

  function entry(ix, stem, missing) {
    var shard = ix.shard(ix.shardIndex(stem), missing);
    return shard && has(shard.t, stem) ? shard.t[stem] : null;
  }

  function df(e) { return e[0].split(",").length; }

  function rangeKeys(ix, prefix, missing) {
    var first = ix.shardIndex(prefix), last = ix.shardIndex(prefix + "\uffff"), keys = [];
    for (var i = first; i <= last; i++) {
      var shard = ix.shard(i, missing);
      if (!shard) continue;
      for (var k in shard.t) if (k.startsWith(prefix)) keys.push([k, shard]);
      for (k in shard.v) if (k.startsWith(prefix) && !has(shard.t, k)) keys.push([k, shard]);
    }
    return missing.size ? null : keys;
  }

  function prefixStems(ix, prefix, exact, missing) {
    var keys = rangeKeys(ix, prefix, missing);
    if (!keys) return [];
    var set = new Set();
    keys.forEach(function (p) { set.add(has(p[1].v, p[0]) ? p[1].v[p[0]] : p[0]); });
    set.delete(exact);
    var ranked = [];
    Array.from(set).sort(cmp).forEach(function (s) {
      var e = entry(ix, s, missing);
      if (e) ranked.push([-df(e), s]);
    });
    ranked.sort(function (a, b) { return a[0] - b[0] || cmp(a[1], b[1]); });
    return ranked.slice(0, PREFIX_MAX).map(function (r) { return r[1]; });
  }

  function distance(a, b, limit) {
    /* edit distance with adjacent transpositions (optimal string alignment), capped at limit + 1 */
    if (Math.abs(a.length - b.length) > limit) return limit + 1;
    var prev2 = [], prev = [], j;
    for (j = 0; j <= b.length; j++) prev.push(j);
    for (var i = 1; i <= a.length; i++) {
      var cur = [i], best = i;
      for (j = 1; j <= b.length; j++) {
        var cost = a[i - 1] === b[j - 1] ? 0 : 1;
        var v = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost);
        if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, prev2[j - 2] + 1);
        cur.push(v);
        best = Math.min(best, v);
      }
      if (best > limit) return limit + 1;
      prev2 = prev; prev = cur;
    }
    return prev[b.length];
  }

  function nearWords(ix, word, limit, missing) {
    /* (distance, surface word, stem) of the words within `limit` edits, wherever the edits are: found through the
     * typo index (kbgen/search/typos.py), then measured */
    var beginnings = typoBeginnings(ix, word, missing);
    if (!beginnings) return [];
    var keys = [];
    beginnings.forEach(function (b) {
      if (Array.from(b).length < ix.typoPrefix) {  /* a whole word */
        var shard = ix.shard(ix.shardIndex(b), missing);
        if (shard) keys.push([b, shard]);
      } else {
        keys.push.apply(keys, rangeKeys(ix, b, missing) || []);
      }
    });
    if (missing.size) return [];
    var out = [];
    keys.forEach(function (p) {
      var k = p[0], shard = p[1];
      if (!has(shard.v, k) && !has(shard.t, k)) return;
      var s = has(shard.v, k) ? shard.v[k] : k;
      if (k === s && shard.t[k][1].split(" ").indexOf(k) < 0) return;
      var d = distance(word, k, limit);
      if (d <= limit) out.push([d, k, s]);
    });
    out.sort(function (a, b) { return a[0] - b[0] || cmp(a[1], b[1]) || cmp(a[2], b[2]); });
    return out;
  }

  function deletions(beginning) {
    /* the beginning itself and each string made by deleting one of its letters, sorted, without repeats */
    var set = new Set([beginning]), chars = Array.from(beginning);
    for (var i = 0; i < chars.length; i++) set.add(chars.slice(0, i).concat(chars.slice(i + 1)).join(""));
    return Array.from(set).sort(cmp);
  }

  function typoBeginnings(ix, word, missing) {
    /* the word beginnings the index keys under the query word's beginning or one of its one-letter deletions;
     * null while a typo shard is not loaded */
    var found = new Set();
    deletions(Array.from(word).slice(0, ix.typoPrefix).join("")).forEach(function (key) {
      var shard = ix.typoShard(key, missing);
      if (shard && has(shard, key)) shard[key].split(" ").forEach(function (b) { found.add(b); });
    });
    return missing.size ? null : Array.from(found).sort(cmp);
  }

  function fuzzyStems(ix, word, missing) {
    var limit = word.length >= 8 ? 2 : 1, best = new Map();
    nearWords(ix, word, limit, missing).forEach(function (n) { if (!best.has(n[2])) best.set(n[2], n); });
    var ranked = [];
    best.forEach(function (n, s) {
      var e = entry(ix, s, missing);
      if (e) ranked.push([n[0], -df(e), s, n[1]]);
    });
    ranked.sort(function (a, b) { return a[0] - b[0] || a[1] - b[1] || cmp(a[2], b[2]) || cmp(a[3], b[3]); });
    return ranked.slice(0, FUZZY_MAX).map(function (r) { return [r[2], r[0], r[3]]; });
  }

  function decode(postings) {
    /* [article id, tf per field, field lengths, which of the stem's words it uses or null: the first alone] */
    var out = [], doc = 0, items = postings.split(",");
    for (var n = 0; n < items.length; n++) {
      var item = items[n], i = 0, used = null, tilde = item.indexOf("~");
      if (tilde >= 0) { used = item.slice(tilde + 1); item = item.slice(0, tilde); }
      while (i < item.length && MARKS.indexOf(item[i]) < 0) i++;
      doc += parseInt(item.slice(0, i), 36);
      var tfs = [0, 0, 0, 0], lens = [0, 0, 0, 0];
      while (i < item.length) {
        var f = MARKS.indexOf(item[i]), colon = item.indexOf(":", i);
        tfs[f] = colon > i + 1 ? parseInt(item.slice(i + 1, colon), 36) : 1;
        var j = colon + 1;
        while (j < item.length && MARKS.indexOf(item[j]) < 0) j++;
        lens[f] = parseInt(item.slice(colon + 1, j), 36);
        i = j;
      }
      out.push([doc, tfs, lens, used]);
    }
    return out;
  }

  function usesWord(forms, word) {
    /* whether a posting's article uses `word` itself, from the posting's mark (see decode) */
    var place = forms.indexOf(word);
    if (place < 0) return function () { return false; };
    var width = forms.length > 36 ? 2 : 1, code = place.toString(36);
    while (code.length < width) code = "0" + code;
    function hasCode(used) {
      for (var i = 0; i < used.length; i += width) if (used.slice(i, i + width) === code) return true;
      return false;
    }
    if (place === 0) return function (used) { return used === null || hasCode(used); };
    return function (used) { return used !== null && hasCode(used); };
  }

  function words(text) { return text.match(WORD) || []; }

  function rank(ix, query, typing, missing) {
    var text = normalise(query), ws = words(text);
    var partial = typing && WORD_END.test(text);
    var clauses = [], typed = [], shown = [], changed = false;  /* typed: per clause, the word's own stem and the word */
    /* question words weigh little when the query has a subject ("how do I publish"); alone, they are the subject */
    var asking = ws.some(function (x) { return !ix.stop.has(x) && !ix.question.has(x); }), subject = [];
    for (var i = 0; i < ws.length; i++) {
      var w = ws[i], lastPartial = partial && i === ws.length - 1;
      if (ix.stop.has(w) && !lastPartial) { shown.push(w); continue; }  /* the suggestion keeps every word typed */
      var terms = new Map();
      var waiting = missing.size;
      var exact = ix.stop.has(w) ? null : stemOf(ix, w, missing);
      if (missing.size > waiting) continue;  /* decide on prefixes and typos once the word's own shard is here */
      if (asking && ix.question.has(w) && !lastPartial) {
        if (exact !== null) {
          clauses.push(new Map([[exact, QUESTION_WEIGHT]]));
          typed.push([exact, w]);
          subject.push(false);
        }
        shown.push(w);
        continue;
      }
      if (exact !== null) terms.set(exact, 1.0);
      if ((lastPartial && w.length >= 2) || (exact === null && w.length >= 3)) {
        prefixStems(ix, w, exact, missing).forEach(function (s) { if (!terms.has(s)) terms.set(s, PREFIX_WEIGHT); });
      } else if (exact !== null && exact.length >= 4 && exact[0] >= "а" && exact[0] <= "я") {
        /* a Russian stem also finds the stems a letter or two longer (participles): see engine.py */
        prefixStems(ix, exact, exact, missing).forEach(function (s) {
          if (s.length <= exact.length + LONGER_STEM_LETTERS && !terms.has(s)) terms.set(s, LONGER_STEM_WEIGHT);
        });
      }
      var said = w;
      if (!terms.size && w.length >= 4) {
        fuzzyStems(ix, w, missing).forEach(function (r) {
          if (!terms.has(r[0])) terms.set(r[0], FUZZY_WEIGHTS[r[1]]);
          if (said === w) said = r[2];
        });
      }
      if (!terms.size && w.length >= 3) {
        var near = nearWords(ix, w, w.length >= 4 ? 2 : 1, missing);
        if (near.length) said = near[0][1];
      }
      changed = changed || said !== w;
      shown.push(said);
      clauses.push(terms);
      typed.push([exact, w]);
      subject.push(true);
    }
    if (missing.size) return null;
    return score(ix, clauses, typed, subject, changed ? shown : null, missing);
  }

  function score(ix, clauses, typed, subject, shown, missing) {
    var m = ix.manifest, n = m.n, avg = m.avg, k1 = m.params.k1, b = m.params.b, w = m.params.w;
    var scores = new Map(), inTitle = new Map(), titleLen = new Map(), highlight = new Set(), nc = clauses.length;
    var clauseIdf = new Float64Array(nc);  /* per subject clause: the idf of its rarest word */
    clauses.forEach(function (terms, ci) {
      Array.from(terms.keys()).sort(cmp).forEach(function (s) {
        var e = entry(ix, s, missing);
        if (!e) return;
        var forms = e[1].split(" ");
        if (subject[ci]) forms.forEach(function (x) { highlight.add(x); });  /* not every "how" and "do" */
        var plist = decode(e[0]), dfs = plist.length;
        var idf = Math.log(1 + (n - dfs + 0.5) / (dfs + 0.5)), weight = terms.get(s);
        if (subject[ci] && idf > clauseIdf[ci]) clauseIdf[ci] = idf;
        var own = s === typed[ci][0] ? usesWord(forms, typed[ci][1]) : null;
        for (var p = 0; p < plist.length; p++) {
          var doc = plist[p][0], tfs = plist[p][1], lens = plist[p][2], tfw = 0.0;
          if (own) weight = (own(plist[p][3]) ? 1.0 : STEMMED_WEIGHT) * (subject[ci] ? 1.0 : QUESTION_WEIGHT);
          for (var f = 0; f < 4; f++) {
            if (tfs[f]) {
              var norm = avg[f] ? 1 - b[f] + b[f] * lens[f] / avg[f] : 1;
              tfw += w[f] * tfs[f] / norm;
            }
          }
          var sc = weight * idf * tfw * (k1 + 1) / (k1 + tfw);
          var row = scores.get(doc);
          if (!row) { row = new Float64Array(nc); scores.set(doc, row); inTitle.set(doc, new Float64Array(nc)); }
          if (sc > row[ci]) row[ci] = sc;
          if (tfs[0] && subject[ci] && idf > inTitle.get(doc)[ci]) {
            inTitle.get(doc)[ci] = idf;
            titleLen.set(doc, lens[0]);
          }
        }
      });
    });
    if (missing.size) return null;
    var wanted = clauses.filter(function (t, ci) { return t.size && subject[ci]; }).length;
    var useAnd = wanted > 0 && wanted <= AND_WORDS, ranked = [];
    var idfs = clauseIdf.reduce(function (a, x) { return a + x; }, 0);
    scores.forEach(function (row, doc) {
      var total = 0.0, matched = 0;
      for (var i = 0; i < row.length; i++) { total += row[i]; if (row[i] > 0 && subject[i]) matched++; }
      var titled = inTitle.get(doc).reduce(function (a, x) { return a + x; }, 0);
      var tier = useAnd && matched === wanted ? 1 : 0;
      if (titled) {  /* any article, as its title names the subject: see scoring.py's TITLE_BONUS */
        var inIt = inTitle.get(doc).filter(function (x) { return x > 0; }).length;
        total *= 1 + TITLE_BONUS * (titled / idfs) * Math.min(1, inIt / titleLen.get(doc));
      }
      ranked.push([tier, total, doc]);
    });
    ranked.sort(function (x, y) { return y[0] - x[0] || y[1] - x[1] || x[2] - y[2]; });
    return {
      hits: ranked.map(function (r) { return { doc: r[2], score: r[1] }; }),
      words: Array.from(highlight).sort(cmp),
      suggestion: shown ? shown.join(" ") : null
    };
  }

  /* The browser's loader: every index file is a script calling __kbgenSearch(name, data), which works over
   * HTTP and from file:// alike (browsers refuse fetch() of local files). */
  function scriptLoader(base) {
    /* One registry per page, so several indexes (the header box, the results page, a benchmark) share it. */
    var waiting = root.__kbgenSearchWaiting || (root.__kbgenSearchWaiting = {});
    root.__kbgenSearch = root.__kbgenSearch || function (name, data) {
      (waiting[name] || []).forEach(function (resolve) { resolve(data); });
      delete waiting[name];
    };
    return function (name) {
      return new Promise(function (resolve, reject) {
        (waiting[name] || (waiting[name] = [])).push(resolve);
        var s = document.createElement("script");
        s.src = base + name + ".js";
        s.async = true;
        s.onerror = function () { reject(new Error("search index file missing: " + s.src)); };
        s.onload = function () { s.remove(); };
        document.head.appendChild(s);
      });
    };
  }

  var api = { SearchIndex: SearchIndex, scriptLoader: scriptLoader, normalise: normalise, words: words,
    distance: distance, decode: decode };
  if (typeof module === "object" && module.exports) module.exports = api;
  else root.KbgenSearch = api;
})(typeof window !== "undefined" ? window : globalThis);
