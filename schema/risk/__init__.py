"""Risk transfer in the API: guarantees and collateral, credit insurance, factoring."""
