"""Pictures: profile photos, event images, branch logos and announcement images."""
