"""驾驶舱: the one-screen dashboard of the reform's indicators (docs/cockpit.md)."""
