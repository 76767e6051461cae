"""From the placed site to the files a reader gets.

theme      — templates and assets (the site's theme over the default)
views      — the read-only views templates see, never the model itself
pages      — every page's route and its render
pagination — long category and tag listings in pages, with the A–Z jump list
siteinfo   — what every template may say about the site as a whole
faq        — what the theme adds to an article's HTML (copy-link buttons, FAQ answers with anchors)
structured — JSON-LD and the Atom feed
analytics  — the beacon and the events the site reports
extras     — everything besides pages (assets, search files, sitemap, redirects)
outputs    — every path the build will write, claimed before anything is written (`duplicate-url`)
"""
