"""Project-wide test configuration; shared fixtures live in xianfeng/conftest.py."""

import os

import pytest


@pytest.hookimpl(trylast=True)
def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    # In CI a skipped test is a failed test: nothing may pass by not running.
    if not os.environ.get("FAIL_ON_SKIP"):
        return
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    skipped = reporter.stats.get("skipped", []) if reporter else []
    if skipped:
        print(f"\n{len(skipped)} test(s) skipped; FAIL_ON_SKIP is set, so the run fails.")
        session.exitstatus = 1
