"""GraphQL for what leaves the platform: the mail server, documents as sent, deliveries."""
