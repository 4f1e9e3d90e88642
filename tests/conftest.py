"""Shared test configuration. The fixtures come from ``tisserand.testing`` (pytest11 entry point)."""
