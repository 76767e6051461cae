"""`kbgen report`: stale articles and the searches readers could not answer, from the site's own analytics.

logs (read events) → privacy (mask them) → demand (count them) → inventory + stale (what is out of date) →
gaps (what readers did not find) → output (table, JSON, CSV, Markdown, HTML).
"""
