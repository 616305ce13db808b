"""Who may do what with Code reports (loaded by CodeReportsConfig.ready)."""
