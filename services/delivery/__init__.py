"""Delivery: documents leave the platform through a channel (SMTP ships; SMS or WeCom can be
added), are archived as the exact bytes sent, and count as sent only once the other side
accepted them."""
