"""Service tests: service requests and orders, engineers and their bookings, settlements.
Serves bpmn/service_request.bpmn.
"""
