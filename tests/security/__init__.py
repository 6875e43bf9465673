"""Security tests (issue 11): each case is a hole found by the probe, written so it failed before the fix."""
