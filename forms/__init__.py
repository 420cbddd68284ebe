"""Paper documents (reportlab): blank admission forms, census, register, wristbands, labels,
transfer sheet and situation report, rendered in memory from what the services return."""
