"""Sales use cases: the questions the pipeline and daily-plan pages ask (opportunities, activities).
Serves bpmn/customer_visit.bpmn, customer_reception.bpmn, bidding.bpmn, expense_reimbursement.bpmn
and approval_authority.dmn.
"""
