"""Course wordings that must read the same everywhere they appear.

The limits of confidentiality are stated once here; module pages show the long
form with the organization's own reporting duties, scenarios insert the short
form through the `{confidentiality_limits}` placeholder, and the tests hold
every model answer and rubric that states confidentiality to the same three
limits.
"""

from __future__ import annotations

# The three limits, in the order the course always names them.
CONFIDENTIALITY_LIMITS = (
    "someone's life or safety is at risk",
    "a child or an adult at risk may be harmed",
    "someone threatens to harm others",
)

CONFIDENTIALITY_SHORT = (
    "What's shared here stays here, with three limits: if someone's life or safety is at "
    "risk, if a child or an adult at risk may be harmed, or if someone threatens to harm "
    "others. Then we tell the people who need to know, like our safeguarding lead."
)

CONFIDENTIALITY_LONG = (
    "What members share in the group stays in the group, with three limits. If someone's "
    "life or safety is at risk, if a child or an adult at risk may be harmed, or if someone "
    "threatens to harm someone else, we tell the people who need to know, such as our "
    "safeguarding lead, and we tell the member first whenever we can. Our organization's "
    "reporting duties may add to these limits. And no facilitator can promise what other "
    "members repeat, especially online."
)

NALOXONE_GENERAL = (
    "Naloxone is a medicine that can reverse an opioid overdose for a short time. "
    "It comes as a nasal spray or an injection, and in many places it is available "
    "without a prescription. "
    "It does not replace emergency help: call the emergency number, give naloxone if it "
    "is there and you are trained, and stay with the person until help arrives."
)
