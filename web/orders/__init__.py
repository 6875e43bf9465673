"""Orders pages (thin Flask blueprints): quotes, contracts, projects, payment plans and receivables.
Serves bpmn/contract_approval.bpmn, contract_approval_route.dmn and payment_collection.bpmn.
"""
