"""Early-warning signals: raising, acknowledging and reading them."""
