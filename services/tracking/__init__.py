"""Behaviour tracking (REQUIREMENTS §8): e-mail opens, link clicks, website visits and seminar attendance of
contacts, as behaviour events on their timelines."""
