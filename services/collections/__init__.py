"""Collections: reminders, escalation, promises, plans, activities, dunning."""
