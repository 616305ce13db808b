"""Every write to rounds, reports, co-signatures and calls to report."""
