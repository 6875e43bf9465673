"""Sales domain models and functions taking a Session: activities, opportunities, visits, receptions, tenders and
expense claims.
Serves bpmn/customer_visit.bpmn, customer_reception.bpmn, bidding.bpmn, expense_reimbursement.bpmn
and approval_authority.dmn.
"""
