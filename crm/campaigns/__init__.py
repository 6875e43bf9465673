"""Marketing campaigns (seminars, e-mail campaigns, trade fairs): cost, invited and attending contacts, the
opportunities they sourced. No BPMN file of its own."""
