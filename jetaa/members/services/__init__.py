"""Services of the members feature: profiles, the directory, what a viewer may see."""
