"""`kbgen build` and `kbgen check`: the pipeline of `kbgen.pipeline`, run whole.

Kept as the name commands and tests import: `build(options, diagnostics)`, `BuildOptions`, `BuildResult`.
"""

from __future__ import annotations

from kbgen.pipeline import BuildOptions, BuildResult, Progress, build

__all__ = ["BuildOptions", "BuildResult", "Progress", "build"]
