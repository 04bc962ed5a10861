"""The pages of the dashboard, one file each (dashboard/router.py lists them): each only draws."""
