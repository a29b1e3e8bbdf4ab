"""Care Compass: a discreet voice skill about bleeding during or after vaginal sex.

Layers, imports pointing one way:
    skill.core   the triage core (standard library and yaml only)
    skill.alexa  the Alexa adapter (ask-sdk-core)
    skill.web    the Flask host; lambda/ is the Lambda host
"""
