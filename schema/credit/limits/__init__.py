"""GraphQL of limits, exposure, orders, the credit check and the decision log."""
