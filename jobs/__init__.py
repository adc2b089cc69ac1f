"""Dramatiq: broker setup, actors, the outbox relay and the scheduler. Actors call services."""
