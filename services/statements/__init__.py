"""Monthly statements (对账单): generation, rendering, confirmation."""
