"""Hook implementations of the digests plugin (under construction)."""
