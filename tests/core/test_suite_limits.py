"""The suite cannot stall: every test runs under pytest-timeout's limit (a stuck test fails
with its stack instead of holding CI until it is killed)."""


def test_every_test_has_a_time_limit(request):
    assert request.config.pluginmanager.hasplugin("timeout"), "pytest-timeout is not installed"
    assert float(request.config.getini("timeout")) > 0
