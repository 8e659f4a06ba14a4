"""What a section 42 enquiry's conclusion answers for the Safeguarding Adults Collection,
for the tests that conclude one: a risk identified and action taken, the person did not
lack capacity, was asked and expressed outcomes."""

SAC_ANSWERS = {
    "action_result": "risk_identified_action_taken",
    "lacked_capacity": "no",
    "msp_asked": "asked_outcomes_expressed",
}
