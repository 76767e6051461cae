// Runs search-core.js in Node over an exported index folder, for tests and bench/search.py.
// usage: node tests/search_node.js <search folder> < {"queries": [[id, text], …], "typing": false, "limit": 10}
// prints {"<id>": [[doc, score], …], …} and, with "timing": true, the median milliseconds per query.
"use strict";
const fs = require("fs");
const path = require("path");
const core = require(path.join(__dirname, "..", "kbgen", "themes", "default", "assets", "search-core.js"));

const folder = process.argv[2];
const request = JSON.parse(fs.readFileSync(0, "utf8"));
function load(name) {
  const text = fs.readFileSync(path.join(folder, name + ".js"), "utf8");
  return Promise.resolve(JSON.parse(text.slice(text.indexOf(",") + 1, text.lastIndexOf(")"))));
}

(async () => {
  const index = new core.SearchIndex(load);
  const out = {};
  for (const [id, q] of request.queries) {
    const result = await index.search(q, !!request.typing);
    out[id] = result.hits.slice(0, request.limit || 10).map((h) => [h.doc, h.score]);
  }
  const report = { results: out };
  if (request.timing) {  // everything is loaded now: time the ranking alone
    const times = [];
    for (const [, q] of request.queries) {
      const start = process.hrtime.bigint();
      await index.search(q, !!request.typing);
      times.push(Number(process.hrtime.bigint() - start) / 1e6);
    }
    times.sort((a, b) => a - b);
    report.median_ms = times[Math.floor(times.length / 2)];
  }
  process.stdout.write(JSON.stringify(report));
})();
