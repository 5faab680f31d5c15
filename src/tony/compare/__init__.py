"""`tony compare`: two runs' results compared metric by metric, paired where the same items were scored, with
Holm's correction, an HTML comparison card and release gates. Names no evaluation: metrics come from the logs."""
