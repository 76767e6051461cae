"""`kbgen serve`: build in memory, serve on 127.0.0.1, and keep open tabs in step with every save.

plan.py classifies a burst of file changes, session.py rebuilds the least that is correct and renders pages on
demand, changes.py watches the files, server.py answers the browser (pages, live channel, beacon).
"""

from __future__ import annotations

import threading
import time
import webbrowser
from collections.abc import Callable

from kbgen.pipeline import BuildOptions
from kbgen.serve.changes import Batch, ChangeWatcher
from kbgen.serve.plan import plan_changes
from kbgen.serve.server import PreviewServer
from kbgen.serve.session import PreviewSession


class Preview:
    """A running preview: session, file watcher and HTTP server, started and stopped together."""

    def __init__(self, options: BuildOptions, host: str = "127.0.0.1", port: int = 8000,
                 log: Callable[[str], None] = print, warm_start: bool = False) -> None:
        self.session = PreviewSession(options, log, warm_start)
        self.server = PreviewServer(self.session, host, port)
        folders, config_file = self.session.watched()
        self.watcher = ChangeWatcher(folders, config_file, self._changed)
        self._thread = threading.Thread(target=self.server.serve_forever, args=(0.05,), name="kbgen-http",
                                        daemon=True)

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}/"

    def start(self) -> Preview:
        self.watcher.start()
        self._thread.start()
        return self

    def stop(self) -> None:
        self.watcher.stop()
        self.session.close()
        self.server.shutdown()
        self.server.server_close()
        self.session.save_cache()

    def _changed(self, batch: Batch) -> None:
        session = self.session
        _, config_file = session.watched()
        plan = plan_changes(batch.touched, batch.moves, config_file, session.config.content_dir,
                            [session.project.themes_folder])
        if plan:
            session.apply(plan)
            self.watcher.watch(session.watched()[0])  # a themes/ folder just made, a content folder moved


def serve(options: BuildOptions, host: str, port: int, open_browser: bool, log: Callable[[str], None]) -> None:
    """Run the preview until Ctrl-C."""
    preview = Preview(options, host, port, log, warm_start=True).start()
    if preview.session.ready.is_set():
        log(f"Serving {len(preview.session.site.articles)} articles on {preview.url} — Ctrl-C to stop")
    else:
        log(f"Serving the last build on {preview.url} while the site loads — Ctrl-C to stop")
    if host not in ("127.0.0.1", "localhost", "::1"):
        log(f"warning: listening on {host}: other machines on the network can see this preview and its drafts")
    for line in preview.session.errors():  # none yet while loading: the load prints them when it is done
        log(line)
    if open_browser:
        webbrowser.open(preview.url)
    try:
        # Wake up twice a second: on Windows a wait with no timeout is never woken by Ctrl-C, and Python handles
        # the signal only when it wakes.
        while True:
            time.sleep(0.5)
    except KeyboardInterrupt:
        pass
    finally:
        preview.stop()
