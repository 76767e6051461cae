/* kbgen search stemmer: the Snowball English (Porter2) and Russian algorithms, written from their published
 * definitions (snowballstem.org, english.sbl and russian.sbl of Snowball 3.1, the version PyStemmer 3.1 carries),
 * so the browser stems any word the reader types exactly as the build stems the articles' words
 * (kbgen/search/analysis.py `stem`). Golden vectors check it: tests/test_search_stem.py stems every distinct word
 * of four corpora both ways. No DOM: it runs in Node too.
 *
 * Snowball's rules, in the terms used below: a step looks for the LONGEST of its suffixes that ends the word
 * and then checks that suffix's condition; when the condition fails the step does nothing (it never falls back to
 * a shorter suffix). R1, R2 and RV are where a suffix may start (p1, p2, pV). */
(function (root) {
  "use strict";

  function set(letters) {
    var out = {};
    for (var i = 0; i < letters.length; i++) out[letters[i]] = true;
    return out;
  }

  function has(obj, key) { return Object.prototype.hasOwnProperty.call(obj, key); }

  /* The longest of `list` that ends `w` and starts at or after `limit`, or "" when none does. */
  function suffix(w, list, limit) {
    for (var i = 0; i < list.length; i++) {
      var s = list[i];
      if (w.length - s.length >= limit && w.endsWith(s)) return s;
    }
    return "";
  }

  function longestFirst(list) {
    return list.slice().sort(function (a, b) { return b.length - a.length; });
  }

  /* Index after the first vowel at or after `from`, then after the first non-vowel following it ("gopast v
   * gopast non-v"), or -1. */
  function pastVowelConsonant(w, vowels, from) {
    var i = from;
    while (i < w.length && !vowels[w[i]]) i++;
    if (i >= w.length) return -1;
    i++;
    while (i < w.length && vowels[w[i]]) i++;
    return i < w.length ? i + 1 : -1;
  }

  /* ---- English (Porter2) ---- */

  var V = set("aeiouy"), V_WXY = set("aeiouywxY"), AEO = set("aeo"), VALID_LI = set("cdeghkmnrt");
  var EN_WHOLE = {  /* exception1: whole words with a fixed stem */
    skis: "ski", skies: "sky", idly: "idl", gently: "gentl", ugly: "ugli", early: "earli", only: "onli",
    singly: "singl", sky: "sky", news: "news", howe: "howe", atlas: "atlas", cosmos: "cosmos", bias: "bias",
    andes: "andes"
  };
  var EN_R1_PREFIXES = ["gener", "commun", "arsen", "past", "univers", "later", "emerg", "organ", "inter"];
  var STEP_1A = longestFirst(["sses", "ied", "ies", "s", "us", "ss"]);
  var STEP_1B = longestFirst(["eed", "eedly", "ed", "edly", "ingly", "ing"]);
  var STEP_1B_ENDS = longestFirst(["at", "bl", "iz", "bb", "dd", "ff", "gg", "mm", "nn", "pp", "rr", "tt"]);
  var ING_WHOLE = set(["inn", "out", "cann", "herr", "earr", "even"]);
  var STEP_2 = {
    tional: "tion", enci: "ence", anci: "ance", abli: "able", entli: "ent", izer: "ize", ization: "ize",
    ational: "ate", ation: "ate", ator: "ate", alism: "al", aliti: "al", alli: "al", fulness: "ful",
    ousli: "ous", ousness: "ous", iveness: "ive", iviti: "ive", biliti: "ble", bli: "ble", ogist: "og",
    ogi: "og", fulli: "ful", lessli: "less", li: ""
  };
  var STEP_3 = {
    tional: "tion", ational: "ate", alize: "al", icate: "ic", iciti: "ic", ical: "ic", ful: "", ness: "",
    ative: ""
  };
  var STEP_4 = longestFirst(["al", "ance", "ence", "er", "ic", "able", "ible", "ant", "ement", "ment", "ent",
    "ism", "ate", "iti", "ous", "ive", "ize", "ion"]);
  var STEP_2_KEYS = longestFirst(Object.keys(STEP_2)), STEP_3_KEYS = longestFirst(Object.keys(STEP_3));

  /* Whether `w` ends in a short syllable: consonant (not w, x or Y), vowel, consonant; or a vowel at the start
   * and a consonant; or "past" (pasted → paste). */
  function shortSyllable(w) {
    var n = w.length;
    if (n >= 3 && !V_WXY[w[n - 1]] && V[w[n - 2]] && !V[w[n - 3]]) return true;
    if (n === 2 && !V[w[1]] && V[w[0]]) return true;
    return w.endsWith("past");
  }

  function hasVowel(w, end) {
    for (var i = 0; i < end; i++) if (V[w[i]]) return true;
    return false;
  }

  function english(word) {
    if (has(EN_WHOLE, word)) return EN_WHOLE[word];
    if (word.length < 3) return word;
    var w = word[0] === "'" ? word.slice(1) : word;
    /* y as a consonant (first letter, or after a vowel) becomes Y until the end */
    var chars = w.split(""), yFound = false;
    for (var i = 0; i < chars.length; i++) {
      if (chars[i] === "y" && (i === 0 || V[chars[i - 1]])) { chars[i] = "Y"; yFound = true; }
    }
    w = chars.join("");
    var p1 = w.length, p2 = w.length;
    var start = -1;
    for (i = 0; i < EN_R1_PREFIXES.length && start < 0; i++) {
      if (w.startsWith(EN_R1_PREFIXES[i])) start = EN_R1_PREFIXES[i].length;
    }
    if (start < 0) start = pastVowelConsonant(w, V, 0);
    if (start >= 0) {
      p1 = start;
      var r2 = pastVowelConsonant(w, V, p1);
      if (r2 >= 0) p2 = r2;
    }
    w = step1a(w);
    w = step1b(w, p1);
    w = step1c(w);
    w = replaceIn(w, STEP_2_KEYS, STEP_2, p1, p2);
    w = replaceIn(w, STEP_3_KEYS, STEP_3, p1, p2);
    w = step4(w, p2);
    w = step5(w, p1, p2);
    return yFound ? w.replace(/Y/g, "y") : w;
  }

  function step1a(w) {
    var s = suffix(w, ["'s'", "'s", "'"], 0);
    if (s) w = w.slice(0, -s.length);
    s = suffix(w, STEP_1A, 0);
    var before = w.length - s.length;
    if (s === "sses") return w.slice(0, -2);
    if (s === "ied" || s === "ies") return w.slice(0, before) + (before >= 2 ? "i" : "ie");
    /* s: only when a vowel comes before the letter before it (gas, this stay; gaps → gap) */
    if (s === "s" && hasVowel(w, before - 1)) return w.slice(0, before);
    return w;
  }

  function step1b(w, p1) {
    var s = suffix(w, STEP_1B, 0);
    if (!s) return w;
    var before = w.slice(0, w.length - s.length);
    if (s === "eed" || s === "eedly") {
      if (before.length < p1 || before === "proc" || before === "exc" || before === "succ") return w;
      return before + "ee";
    }
    if (s === "ing") {
      if (before.length === 2 && before[1] === "y" && !V[before[0]]) return before[0] + "ie";  /* dying → die */
      if (ING_WHOLE[before]) return w;  /* inning, outing */
    }
    if (!hasVowel(before, before.length)) return w;
    var end = suffix(before, STEP_1B_ENDS, 0);
    if (end === "at" || end === "bl" || end === "iz") return before + "e";
    if (end) return before.length === 3 && AEO[before[0]] ? before : before.slice(0, -1);  /* hopp → hop; add */
    return before.length === p1 && shortSyllable(before) ? before + "e" : before;  /* hop → hope */
  }

  function step1c(w) {
    var n = w.length, last = w[n - 1];
    return (last === "y" || last === "Y") && n > 2 && !V[w[n - 2]] ? w.slice(0, -1) + "i" : w;
  }

  /* Steps 2 and 3: the longest suffix of `keys`, in R1, becomes table[suffix] (with the conditions of a few). */
  function replaceIn(w, keys, table, p1, p2) {
    var s = suffix(w, keys, 0), start = w.length - s.length;
    if (!s || start < p1) return w;
    if (table === STEP_2 && s === "ogi" && w[start - 1] !== "l") return w;
    if (table === STEP_2 && s === "li" && !VALID_LI[w[start - 1]]) return w;
    if (table === STEP_3 && s === "ative" && start < p2) return w;
    return w.slice(0, start) + table[s];
  }

  function step4(w, p2) {
    var s = suffix(w, STEP_4, 0), start = w.length - s.length;
    if (!s || start < p2) return w;
    if (s === "ion" && w[start - 1] !== "s" && w[start - 1] !== "t") return w;
    return w.slice(0, start);
  }

  function step5(w, p1, p2) {
    var start = w.length - 1, last = w[start], before = w.slice(0, start);
    if (last === "e" && (start >= p2 || (start >= p1 && !shortSyllable(before)))) return before;
    if (last === "l" && start >= p2 && before[start - 1] === "l") return before;
    return w;
  }

  /* ---- Russian ---- */

  var RU_V = set("аеиоуыэюя"), A_YA = set("ая");
  var GERUND_1 = ["в", "вши", "вшись"], GERUND_2 = ["ив", "ивши", "ившись", "ыв", "ывши", "ывшись"];
  var ADJECTIVE = ["ее", "ие", "ые", "ое", "ими", "ыми", "ей", "ий", "ый", "ой", "ем", "им", "ым", "ом", "его",
    "ого", "ему", "ому", "их", "ых", "ую", "юю", "ая", "яя", "ою", "ею"];
  var PARTICIPLE_1 = ["ем", "нн", "вш", "ющ", "щ"], PARTICIPLE_2 = ["ивш", "ывш", "ующ"];
  var REFLEXIVE = ["ся", "сь"];
  var VERB_1 = ["ла", "на", "ете", "йте", "ли", "й", "л", "ем", "н", "ло", "но", "ет", "ют", "ны", "ть", "ешь",
    "нно"];
  var VERB_2 = ["ила", "ыла", "ена", "ейте", "уйте", "ите", "или", "ыли", "ей", "уй", "ил", "ыл", "им", "ым", "ен",
    "ило", "ыло", "ено", "ят", "ует", "уют", "ит", "ыт", "ены", "ить", "ыть", "ишь", "ую", "ю"];
  var NOUN = ["а", "ев", "ов", "ие", "ье", "е", "иями", "ями", "ами", "еи", "ии", "и", "ией", "ей", "ой", "ий", "й",
    "иям", "ям", "ием", "ем", "ам", "ом", "о", "у", "ах", "иях", "ях", "ы", "ь", "ию", "ью", "ю", "ия", "ья", "я"];
  var DERIVATIONAL = ["ост", "ость"], TIDY = ["ейш", "ейше", "н", "ь"];

  /* A group of suffixes: the longest that ends the word inside RV, and whether it needs а or я before it. */
  function group(needsAYa, plain) {
    var needs = set(needsAYa);
    return { list: longestFirst(needsAYa.concat(plain)), needs: function (s) { return has(needs, s); } };
  }
  var GERUND = group(GERUND_1, GERUND_2), PARTICIPLE = group(PARTICIPLE_1, PARTICIPLE_2),
    VERB = group(VERB_1, VERB_2), ADJ = group([], ADJECTIVE), REFL = group([], REFLEXIVE),
    NOUNS = group([], NOUN), DERIV = group([], DERIVATIONAL), TIDY_UP = group([], TIDY);

  /* The word without the group's longest ending inside RV (after а or я, for those that need it), or null. */
  function strip(w, g, pV) {
    var s = suffix(w, g.list, pV);
    if (!s) return null;
    var start = w.length - s.length;
    if (g.needs(s) && !(start - 1 >= pV && A_YA[w[start - 1]])) return null;
    return w.slice(0, start);
  }

  function russian(word) {
    var w = word.replace(/ё/g, "е");
    var pV = w.length, p2 = w.length, i = 0;
    while (i < w.length && !RU_V[w[i]]) i++;
    if (i < w.length) {
      pV = i + 1;
      var r1 = nonVowelAfter(w, pV);
      if (r1 >= 0) {
        var r2 = pastVowelConsonant(w, RU_V, r1);
        if (r2 >= 0) p2 = r2;
      }
    }
    var out = strip(w, GERUND, pV);
    if (out === null) {
      var unreflexive = strip(w, REFL, pV);
      if (unreflexive !== null) w = unreflexive;
      out = adjectival(w, pV);
      if (out === null) out = strip(w, VERB, pV);
      if (out === null) out = strip(w, NOUNS, pV);
    }
    if (out !== null) w = out;
    if (w.length - 1 >= pV && w.endsWith("и")) w = w.slice(0, -1);
    var s = suffix(w, DERIV.list, pV);
    if (s && w.length - s.length >= p2) w = w.slice(0, -s.length);
    s = suffix(w, TIDY_UP.list, pV);
    if (s === "ейш" || s === "ейше") {
      w = w.slice(0, -s.length);
      if (w.length - 2 >= pV && w.endsWith("нн")) w = w.slice(0, -1);
    } else if (s === "н") {
      if (w.length - 2 >= pV && w.endsWith("нн")) w = w.slice(0, -1);
    } else if (s === "ь") {
      w = w.slice(0, -1);
    }
    return w;
  }

  function nonVowelAfter(w, from) {
    var i = from;
    while (i < w.length && RU_V[w[i]]) i++;
    return i < w.length ? i + 1 : -1;
  }

  function adjectival(w, pV) {
    var bare = strip(w, ADJ, pV);
    if (bare === null) return null;
    var shorter = strip(bare, PARTICIPLE, pV);
    return shorter === null ? bare : shorter;
  }

  /* ---- the build's choice of algorithm ---- */

  var CYRILLIC = /[\u0400-\u04ff]/, LATIN = /[a-z]/, ASCII = /^[\x00-\x7f]*$/;

  /* The stem of one normalised word (lower case, ё as е: search-core's normalise), as the build makes it:
   * `language` "en" or "ru" runs that algorithm; without it the word's alphabet decides, as in analysis.py —
   * Cyrillic words by the Russian algorithm (unless they mix in Latin letters), ASCII words with a Latin letter
   * by the English one, anything else (digits, other scripts, accented Latin) stays as it is. */
  function stem(word, language) {
    if (language === "en") return english(word);
    if (language === "ru") return russian(word);
    if (CYRILLIC.test(word)) return LATIN.test(word) ? word : russian(word);
    return LATIN.test(word) && ASCII.test(word) ? english(word) : word;
  }

  var api = { stem: stem };
  if (typeof module === "object" && module.exports) module.exports = api;
  else root.KbgenStem = api;
})(typeof window !== "undefined" ? window : globalThis);
