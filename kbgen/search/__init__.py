"""Search: one analysis, records from articles, an index exported into the site, and the same ranking in Python.

analysis — words → index terms (stems by PyStemmer; the browser stems the same with `search-stem.js`)
records  — articles → searchable records with weighted fields and sub-results (sections, FAQ questions)
export   — records → manifest, term shards and display fragments under `search/` (incremental)
format   — those files, written down once: typed structures, their one encoder and the Python reader
engine   — the query side of `search-core.js`, ported line for line, for `kbgen search` and `search_tests`
scoring  — BM25F and the order of results, the same arithmetic as the browser
checks   — `search_tests:` from kbgen.yml
"""
