"""pytest plugin: import Odoo's test framework in test mode under pytest-odoo.

pytest-odoo 2.3.0 parses Odoo's configuration in its ``pytest_cmdline_main``
hook and right away imports ``odoo.tests`` (``support_subtest()`` and
``disable_odoo_test_retry()``) while ``test_enable`` is still off: it only
turns it on per test module, in a fixture, because a global ``--test-enable``
would make the registry load run every at_install test of every addon.
``odoo.tests.common`` is imported once, and its first import outside test
mode logs, as an ERROR with a stack, "Importing test framework, avoid
importing from business modules and when not running in test mode"
(odoo/tests/common.py). That ERROR is meant for business code that imports
the test framework in production, not for the test runner.

This plugin wraps pytest-odoo's hook (``tryfirst``): it imports the test
framework with ``test_enable`` on, as ``odoo-bin --test-enable`` does, and
turns it off again before pytest-odoo parses the configuration, so that
registry loading behaves exactly as before. Business code importing
``odoo.tests`` is still caught where it matters: ``./dev.sh test`` fails on
any ERROR in the installation log (no test mode there).

Used by ``./dev.sh test``: ``PYTHONPATH=scripts pytest -p pytest_odoo_test_mode ...``
"""

import importlib

import pytest


@pytest.hookimpl(hookwrapper=True, tryfirst=True)
def pytest_cmdline_main(config):
    odoo = importlib.import_module("odoo")
    options = odoo.tools.config.options
    test_enable = options.get("test_enable")
    options["test_enable"] = True
    try:
        importlib.import_module("odoo.tests")
    finally:
        options["test_enable"] = test_enable
    yield
