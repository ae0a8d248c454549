"""Template helpers of the cockpit."""
