"""The meetups plugin."""
