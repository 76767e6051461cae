"""kbgen.yml, `_category.yml` and front matter as typed schemas, and the project they describe.

schema       — the validation machinery (a `Field` per key, every problem reported together with its YAML line)
kinds        — the field types only kbgen.yml uses (language codes, URL maps, sizes, colours)
settings     — `Config`: every kbgen.yml key as a typed attribute, and `load_config`
frontmatter  — an article's front matter, the same way
url_fields   — kbgen.yml fields that become a link or image on every page (the scheme check)
analytics_providers — the analytics tools a site may send its events to
project      — `Project`: the config, folders and how paths are shown, worked out once per command
"""
