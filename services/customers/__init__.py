"""Customers use cases joining engine, forms and crm: customers and contacts, grading, profiles, ownership and
service plans.
Serves bpmn/relationship_maintenance.bpmn and bpmn/customer_grading.dmn.
"""
