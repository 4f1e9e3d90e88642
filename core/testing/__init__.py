"""Test support for Tisserand and its plugins: pytest fixtures (registered through the
``pytest11`` entry point, so any plugin's test suite gets them) and factories."""
