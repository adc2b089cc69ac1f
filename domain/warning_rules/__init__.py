"""Early-warning rules: pure functions over a customer's facts, graded light to severe."""
