"""Hook implementations of the meetups plugin (under construction)."""
