"""Nuit: a dark theme that overrides only a few templates and styles of the default one."""
