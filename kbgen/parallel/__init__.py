"""The executor: every process kbgen starts, and what happens when one dies, behind one boundary.

The stages say what to do; this package decides where it runs. A stage hands over plain functions and lists and
gets results back, and never knows whether its work ran in a forked helper or in this process:

- `map_chunks(items, work, size, work_dir)`: `work` over many items on every core (the load stage's Markdown);
- `Alongside(job, size)`: one job on the second core while this process goes on, given one value later
  (the search export beside the links and pages, given the link counts);
- `collector_spared()`: Python's cycle collector kept off what a build loaded (`kbgen.parallel.collector`);
- `fault_hook(hook)`: how tests slow a process down or make a helper die at a known point (`faults`);
- `running()`: how many helpers are alive (none once a build is over).

`KBGEN_PARALLEL=never|always|auto` (environment) turns helpers off, on for any size, or leaves the choice to the
sizes each use is worth it from (`processes.helpers_for`).
"""

from __future__ import annotations

from kbgen.parallel.alongside import Alongside
from kbgen.parallel.chunks import map_chunks
from kbgen.parallel.collector import collector_spared
from kbgen.parallel.faults import fault_hook
from kbgen.parallel.processes import running

__all__ = ["Alongside", "collector_spared", "fault_hook", "map_chunks", "running"]
