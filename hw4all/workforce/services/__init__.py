"""Every write of the workforce app."""
