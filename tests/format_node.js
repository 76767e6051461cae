// Reads an exported search folder with search-core.js in Node, for the index format's golden test
// (tests/test_search_format.py): every file run as the script it is, then decoded as the browser decodes it — the
// manifest as `open` keeps it, each term shard after `withWords` with its postings through `decode`, each typo
// shard, and each article's fragment.
// usage: node tests/format_node.js <search folder> < {"docs": [article id, …]}; prints the decoded index as JSON.
"use strict";
const fs = require("fs");
const path = require("path");
const vm = require("vm");
const core = require(path.join(__dirname, "..", "kbgen", "themes", "default", "assets", "search-core.js"));

const folder = process.argv[2];
const { docs } = JSON.parse(fs.readFileSync(0, "utf8"));

function load(name) {
  /* as a page loads it (search-core.js scriptLoader): the file is a script that registers its data by its name */
  let registered = null;
  globalThis.__kbgenSearch = (as, data) => { registered = { as, data }; };
  vm.runInThisContext(fs.readFileSync(path.join(folder, name + ".js"), "utf8"), { filename: name + ".js" });
  if (!registered || registered.as !== name) throw new Error(name + ".js does not register as " + name);
  return Promise.resolve(registered.data);
}

(async () => {
  const index = new core.SearchIndex(load);
  await index.open();
  // The engine loads the files its ranking finds missing, as a page does: here every shard is said to be missing
  // on the first look-up, so one search loads and decodes them all through the engine's own path.
  const own = index.file;
  index.file = function (name, missing) {
    index.names.concat(index.typoNames).forEach((n) => { if (!(n in index.files)) missing.add(n); });
    return own.call(index, name, missing);
  };
  await index.search("zzzz");
  const m = index.manifest;
  const out = {
    manifest: {
      version: m.version, lang: m.lang, n: m.n, avg: m.avg, params: m.params, stop: Array.from(index.stop),
      question: Array.from(index.question), shards: index.bounds.map((b, i) => [b, index.names[i]]),
      typos: index.typoBounds.map((b, i) => [b, index.typoNames[i]]), typo_prefix: index.typoPrefix,
      group: m.group, fragments: m.fragments, popular: m.popular,
    },
    terms: {}, typos: {}, fragments: {},
  };
  for (const name of index.names) {
    const shard = index.files[name], terms = {};
    for (const [stem, [postings, forms]] of Object.entries(shard.t)) {
      terms[stem] = { postings: core.decode(postings), forms };
    }
    out.terms[name] = { terms, words: shard.v };
  }
  for (const name of index.typoNames) out.typos[name] = index.files[name];
  for (const doc of docs) out.fragments[doc] = await index.fragment(doc);
  process.stdout.write(JSON.stringify(out));
})();
