"""How ``make test`` shares the test files between its pytest-xdist workers.

``--dist loadfile`` hands a worker one test file at a time, so a module's fixtures are built
once. The tests of ``tests/site/`` are the exception: they need the built site, so they run
last (``tests/conftest.py`` orders them), and they are few and long (an axe pass over every
page, every explorer state at a phone's width...). Handed out a file at a time, one worker
ran the last two files while the other sat idle for a minute; a test at a time, the two
workers end together. No fixture is built twice for it: the site tests share session
fixtures, and the two files there with a module fixture hold one test each.

xdist sends a worker more work while it has up to two tests left, so two site tests could
wait behind a long one (the axe pass, 60 to 80 s) while the other worker ran out: a worker
here gets its next unit when it has one test left, the one it runs (it needs to know the
next test before it runs one, for the fixtures' teardown, so it never idles waiting).
"""

from __future__ import annotations

from xdist.scheduler import LoadScopeScheduling

SITE_TESTS = "tests/site/"


class FilesThenSiteTests(LoadScopeScheduling):
    """``loadfile``, except that each test under :data:`SITE_TESTS` is a unit of its own."""

    def _split_scope(self, nodeid: str) -> str:
        path = nodeid.split("::", 1)[0]
        return nodeid if path.startswith(SITE_TESTS) else path

    def _reschedule(self, node) -> None:
        # LoadScopeScheduling._reschedule with 1 where it allows 2 pending tests
        if node.shutting_down:
            return
        if not self.workqueue:
            node.shutdown()
            return
        if self._pending_of(self.assigned_work[node]) > 1:
            return
        self._assign_work_unit(node)
