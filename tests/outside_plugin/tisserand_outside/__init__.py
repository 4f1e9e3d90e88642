"""An outside plugin used by Tisserand's own tests."""
