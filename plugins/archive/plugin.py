"""Hook implementations of the archive plugin (under construction)."""
