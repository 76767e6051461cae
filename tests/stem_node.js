// Stems words with search-stem.js in Node, for the golden-vector tests: one process for a whole vocabulary.
// usage: node tests/stem_node.js < one normalised word per line; prints one stem per line, in order.
"use strict";
const path = require("path");
const { stem } = require(path.join(__dirname, "..", "kbgen", "themes", "default", "assets", "search-stem.js"));

const words = require("fs").readFileSync(0, "utf8").split("\n");
process.stdout.write(words.map((w) => stem(w)).join("\n"));
