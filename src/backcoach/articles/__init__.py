"""Web articles about back exercises, read against the catalogue (issue 18): the main text,
the noise removed with reasons, the exercises recognised with their doses, the advice checked.
No network: a saved page or pasted text only (docs/articles.md)."""

from backcoach.articles.analyse import Analysis, MatchedExercise, Unmatched, analyse
from backcoach.articles.reading import MAX_BYTES, ArticleError, ArticleTooLarge

__all__ = [
    "MAX_BYTES",
    "Analysis",
    "ArticleError",
    "ArticleTooLarge",
    "MatchedExercise",
    "Unmatched",
    "analyse",
]
