"""Customers domain models and functions taking a Session: customers and contacts, grading, profiles, ownership and
service plans.
Serves bpmn/relationship_maintenance.bpmn and bpmn/customer_grading.dmn.
"""
