"""Safety: the warning-sign screen, conditions -> restrictions, and in-session stop rules.

Pure functions over plain data; the CLI and the web app reach them through the service layer.
"""

from backcoach.safety.conditions import FIRST_TRIMESTER_END_WEEK, Condition
from backcoach.safety.gate import (
    SCREEN_VALID_DAYS,
    GateResult,
    needs_rescreen,
    plan_gate,
)
from backcoach.safety.restrictions import RULES, Status, Verdict, assess, assess_all
from backcoach.safety.screen import (
    Answer,
    InvalidAnswer,
    ScreenError,
    ScreenResult,
    UnknownSign,
    screen,
)
from backcoach.safety.signs import SIGN_IDS, SIGNS, TIER_RULES, Sign, Tier

__all__ = [
    "FIRST_TRIMESTER_END_WEEK",
    "RULES",
    "SCREEN_VALID_DAYS",
    "SIGNS",
    "SIGN_IDS",
    "TIER_RULES",
    "Answer",
    "Condition",
    "GateResult",
    "InvalidAnswer",
    "ScreenError",
    "ScreenResult",
    "Sign",
    "Status",
    "Tier",
    "UnknownSign",
    "Verdict",
    "assess",
    "assess_all",
    "needs_rescreen",
    "plan_gate",
    "screen",
]
