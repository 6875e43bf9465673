"""Sales tests: visits, receptions, bidding, expense claims, pipeline and plans pages, the sales demo.
Serves bpmn/customer_visit.bpmn, customer_reception.bpmn, bidding.bpmn, expense_reimbursement.bpmn
and approval_authority.dmn.
"""
