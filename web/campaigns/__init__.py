"""Campaign pages (thin Flask blueprints): marketing campaigns, their guests and sourced opportunities, and the
marketing cost per month. No BPMN file of its own."""
