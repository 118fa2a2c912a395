"""nbgrader settings for the course (see exercises/README.md)."""

import os

c = get_config()  # noqa: F821 (provided by nbgrader)
here = os.path.dirname(os.path.abspath(__file__))

c.CourseDirectory.root = here
c.CourseDirectory.course_id = "facilitator-course"
c.CourseDirectory.db_url = "sqlite:///" + os.path.join(here, "gradebook.db")
# The answer line above each solution stays; only the solution goes.
c.ClearSolutions.code_stub = {"python": ""}
c.ClearSolutions.text_stub = "YOUR ANSWER HERE"
# Never the shared default exchange, which other users can read.
c.Exchange.root = os.path.join(here, ".exchange")
# Answers are data: grading reads and scores them in this process, with no kernel,
# and never runs what a trainee wrote (see src/facilitator_course/grading/autograde.py).
from nbconvert.preprocessors import ClearMetadataPreprocessor  # noqa: E402
from nbgrader.preprocessors import (  # noqa: E402
    AssignLatePenalties,
    CheckCellMetadata,
    ClearOutput,
    DeduplicateIds,
    IgnorePattern,
    LimitOutput,
    OverwriteCells,
    OverwriteKernelspec,
)

from facilitator_course.grading.autograde import (  # noqa: E402
    SaveAnswerScores,
    ScoreAnswers,
    UpgradeOldAnswers,
)

c.Autograde.sanitize_preprocessors = [
    UpgradeOldAnswers,
    ClearOutput,
    DeduplicateIds,
    OverwriteKernelspec,
    OverwriteCells,
    CheckCellMetadata,
]
c.Autograde.autograde_preprocessors = [
    ScoreAnswers,
    IgnorePattern,
    ClearMetadataPreprocessor,
    LimitOutput,
    SaveAnswerScores,
    AssignLatePenalties,
    CheckCellMetadata,
]
c.LimitOutput.max_lines = 200
c.LimitOutput.max_traceback = 50
