# Scheduler core and policies (issue: schedulers).
