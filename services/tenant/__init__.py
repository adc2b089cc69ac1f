"""The tenant itself: its profile as its documents print it."""
