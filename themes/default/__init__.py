"""The default theme: clean, readable, responsive, accessible."""
