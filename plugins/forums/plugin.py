"""Hook implementations of the forums plugin (under construction)."""
