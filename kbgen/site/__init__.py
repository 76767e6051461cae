"""Placing the articles: URLs and categories (place), languages and translations, links between articles and
their "did you mean" (links, suggestions), the built-in category icons."""
