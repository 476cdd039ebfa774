"""The versioned JSON API (/api/v1/) and the personal access tokens that open it."""
