"""Customer and credit-file mutations."""
