"""Risk transfer: guarantees and collateral, credit insurance, factoring."""
