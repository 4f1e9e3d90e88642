"""The digests plugin."""
