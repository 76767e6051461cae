"""The content model and what fills it: the first stages of the pipeline.

model    — `Article`, `Category`, `Language`, `Site`: the one object that flows through the build; imports no stage
discover — which files under content/ are articles, categories and static files
reading  — one file read and rendered into a cacheable `FileResult` (what the load stage's helpers run)
load     — the load stage: every article, from the render cache or rendered (on every core, `kbgen.parallel`)
cache    — the render cache in `.kbgen/`
dates    — each article's last change, from one `git log`
images   — image sizes from file headers
"""
