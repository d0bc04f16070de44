"""Tasks on the phone: service tasks staff receive, check off with photos, and complete."""
