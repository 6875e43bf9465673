"""Notifications domain models and functions taking a Session: in-app notifications, the message outbox, reminders
and delivery channels.
Serves every user task of bpmn/ (ready/due/overdue alerts, `notify` SMS on approval steps).
"""
