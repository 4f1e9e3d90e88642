"""The forums plugin."""
