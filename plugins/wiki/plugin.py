"""Hook implementations of the wiki plugin (under construction)."""
