"""Every write to questionnaires and responses; views, admin, commands and other apps call these."""
