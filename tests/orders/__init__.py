"""Orders tests: quotes, contract approval, payment collection, the orders demo and pages.
Serves bpmn/contract_approval.bpmn, contract_approval_route.dmn and payment_collection.bpmn.
"""
