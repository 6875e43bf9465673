"""Service domain models and functions taking a Session: service requests and orders, engineers and their bookings,
settlements.
Serves bpmn/service_request.bpmn.
"""
